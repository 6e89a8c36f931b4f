// Shared helpers for the runner's unit tests: in-memory files, a scripted process runner, a test env.
import { parseYamlDocuments } from '../../../src/policy/yaml.js';
import { FakeClock } from './clock.js';
import { FakeCluster } from './fake-cluster.js';
import type { FakeClusterOptions } from './fake-cluster.js';
import type { SuiteConfig, Test } from './model.js';
import { defaultConfig } from './model.js';
import { isTestDocument, parseTest } from './parse.js';
import type { ReadText } from './parse.js';
import type { ProcessRequest, ProcessResult, ProcessRunner } from './process.js';
import type { RunnerEnv } from './run-test.js';

/** Files keyed by absolute path. */
export function memoryFiles(files: Record<string, string>): ReadText {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };
}

export class ScriptedRunner implements ProcessRunner {
  readonly requests: ProcessRequest[] = [];
  constructor(private readonly respond: (r: ProcessRequest) => Partial<ProcessResult>) {}

  run(request: ProcessRequest): Promise<ProcessResult> {
    this.requests.push(request);
    const r = this.respond(request);
    return Promise.resolve({ code: r.code ?? (r.error ? 1 : 0), stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error ?? null });
  }
}

export function testFrom(yaml: string, read: ReadText, file = '/t/chainsaw-test.yaml'): Test {
  const doc = parseYamlDocuments(yaml, file).map((d) => d.value).find(isTestDocument);
  if (doc === undefined) throw new Error('no Test document');
  return parseTest(doc, file, read);
}

export interface Harness {
  cluster: FakeCluster;
  clock: FakeClock;
  runner: ScriptedRunner;
  env: RunnerEnv;
}

export function harness(options: { files?: Record<string, string>; cluster?: FakeClusterOptions; config?: Partial<SuiteConfig>; runner?: ScriptedRunner } = {}): Harness {
  const cluster = new FakeCluster(options.cluster);
  const clock = new FakeClock(1_000_000);
  const runner = options.runner ?? new ScriptedRunner(() => ({}));
  const env: RunnerEnv = {
    client: cluster,
    clock,
    runner,
    kubeconfig: '/tmp/kubeconfig',
    config: { ...structuredClone(defaultConfig), ...options.config },
    readText: memoryFiles(options.files ?? {}),
    namespaceName: () => 'chainsaw-test-ns',
  };
  return { cluster, clock, runner, env };
}
