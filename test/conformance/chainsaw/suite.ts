// Runs a whole set of tests against one cluster: load, schedule, collect.
import { readFileSync } from 'node:fs';
import type { ClusterClient } from './client.js';
import type { Clock } from './clock.js';
import { errorMessage } from './context.js';
import type { LoadFailure } from './load.js';
import { findConfigFile, loadConfig, loadTests } from './load.js';
import type { SuiteConfig, Test } from './model.js';
import type { ProcessRunner } from './process.js';
import type { TestResult } from './run-test.js';
import { runTest } from './run-test.js';
import { conflictKeys, runScheduled } from './schedule.js';
import { removeNewEntries, snapshotEntries } from './scratch-files.js';

export interface SuiteOptions {
  dirs: string[];
  client: ClusterClient;
  clock: Clock;
  runner: ProcessRunner;
  kubeconfig: string;
  parallel: number;
  /** Called as each test finishes (progress output). */
  onResult?: (r: TestResult) => void;
  /**
   * A fresh cluster per test (the embedded server starts in milliseconds): tests cannot see each
   * other's leftovers, as in Kyverno's CI where tests are spread over separate clusters.
   */
  isolate?: () => Promise<IsolatedTarget>;
}

export interface IsolatedTarget {
  kubeconfig: string;
  client: ClusterClient;
  stop(): Promise<void>;
}

export interface SuiteResult {
  results: TestResult[];
  loadFailures: LoadFailure[];
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const configs = new Map<string, SuiteConfig>();
  const tests: { test: Test; config: SuiteConfig }[] = [];
  const loadFailures: LoadFailure[] = [];
  for (const dir of options.dirs) {
    const configFile = findConfigFile(dir);
    const key = configFile ?? '';
    if (!configs.has(key)) configs.set(key, loadConfig(configFile));
    const config = configs.get(key) ?? loadConfig(undefined);
    const loaded = loadTests([dir]);
    loadFailures.push(...loaded.failures);
    for (const test of loaded.tests) tests.push({ test, config });
  }
  const configOf = new Map(tests.map((t) => [t.test, t.config]));
  const read = (p: string): string => readFileSync(p, 'utf8');
  const results = await runScheduled(
    tests.map((t) => t.test),
    {
      parallel: options.parallel,
      keys: (test) => (options.isolate ? new Set<string>() : conflictKeys(test, read)),
      run: async (test) => {
        let result: TestResult;
        let target: IsolatedTarget | undefined;
        const scratchBefore = snapshotEntries(test.dir);
        try {
          target = options.isolate ? await options.isolate() : undefined;
          result = await runTest(test, {
            client: target?.client ?? options.client,
            clock: options.clock,
            runner: options.runner,
            kubeconfig: target?.kubeconfig ?? options.kubeconfig,
            config: configOf.get(test) ?? loadConfig(undefined),
          });
        } catch (e) {
          result = { name: test.name, file: test.file, namespace: '', passed: false, durationMs: 0, steps: [], cleanupErrors: [`runner error: ${errorMessage(e)}`] };
        } finally {
          await target?.stop();
          removeNewEntries(test.dir, scratchBefore);
        }
        options.onResult?.(result);
        return result;
      },
    },
  );
  return { results, loadFailures };
}
