// CLI: node dist/test/conformance/chainsaw/main.js DIR... [--kubeconfig FILE] [--parallel N] [--report FILE] [--setup PATH]...
// Without --kubeconfig (or KUBECONFIG) it starts `sprout local` in-process and targets that.
// --setup PATH is applied (kubectl apply -f) to the target cluster, or to each fresh one, before tests run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalStack } from '../../../src/main/local-stack.js';
import { createLogger } from '../../../src/platform/logger.js';
import { realClock } from './clock.js';
import { KubectlClient } from './kubectl-client.js';
import { spawnRunner } from './process.js';
import { formatReport, formatTestResult, summaryLine } from './report.js';
import { applySetup } from './setup.js';
import { runSuite } from './suite.js';

export interface CliArgs {
  dirs: string[];
  kubeconfig?: string;
  parallel: number;
  report?: string;
  setup: string[];
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { dirs: [], parallel: 2, setup: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--kubeconfig') args.kubeconfig = value();
    else if (a === '--parallel') args.parallel = Number.parseInt(value(), 10);
    else if (a === '--report') args.report = value();
    else if (a === '--setup') args.setup.push(resolve(value()));
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.dirs.push(a);
  }
  if (args.dirs.length === 0) throw new Error('usage: main.js DIR... [--kubeconfig FILE] [--parallel N] [--report FILE] [--setup PATH]...');
  if (!Number.isInteger(args.parallel) || args.parallel < 1) throw new Error('--parallel must be a positive integer');
  return args;
}

export interface TargetCluster {
  kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * `sprout local` in-process: the embedded API server with Sprout's webhook and controller attached,
 * its kubeconfig in a temporary folder that is removed afterwards.
 */
export async function startTargetCluster(): Promise<TargetCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sprout-chainsaw-'));
  const stack = await startLocalStack({
    server: { kubeconfigPath: join(dataDir, 'kubeconfig') },
    // Kyverno's tests look for UpdateRequests in Kyverno's namespace: Sprout runs where Kyverno would.
    namespace: 'kyverno',
    logger: createLogger({ level: (process.env['SPROUT_LOG_LEVEL'] ?? 'error') as 'error' }),
  });
  return {
    kubeconfig: stack.server.kubeconfigPath,
    stop: async () => {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const fromEnv = process.env['KUBECONFIG'];
  const local = args.kubeconfig === undefined && (fromEnv === undefined || fromEnv === '');
  const target: TargetCluster =
    args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig, stop: () => Promise.resolve() }
    : fromEnv !== undefined && fromEnv !== '' ? { kubeconfig: fromEnv, stop: () => Promise.resolve() }
    : await startTargetCluster();
  try {
    const prepare = (kubeconfig: string): Promise<void> => applySetup({ paths: args.setup, kubeconfig, runner: spawnRunner });
    if (!local) await prepare(target.kubeconfig);
    const client = new KubectlClient({ kubeconfig: target.kubeconfig, runner: spawnRunner });
    const suite = await runSuite({
      dirs: args.dirs,
      client,
      clock: realClock,
      runner: spawnRunner,
      kubeconfig: target.kubeconfig,
      parallel: args.parallel,
      onResult: (r) => process.stdout.write(`${formatTestResult(r)}\n`),
      // Against sprout local every test gets a cluster of its own; a shared cluster is shared.
      ...(local
        ? {
            isolate: async () => {
              const t = await startTargetCluster();
              try {
                await prepare(t.kubeconfig);
              } catch (e) {
                await t.stop();
                throw e;
              }
              return { kubeconfig: t.kubeconfig, client: new KubectlClient({ kubeconfig: t.kubeconfig, runner: spawnRunner }), stop: () => t.stop() };
            },
          }
        : {}),
    });
    for (const f of suite.loadFailures) process.stdout.write(`FAIL ${f.file}\n  could not load: ${f.error}\n`);
    if (args.report !== undefined) writeFileSync(args.report, formatReport(suite.results, suite.loadFailures));
    process.stdout.write(`${summaryLine(suite.results, suite.loadFailures)}\n`);
    const failed = suite.loadFailures.length > 0 || suite.results.some((r) => !r.passed);
    return failed ? 1 : 0;
  } finally {
    await target.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
