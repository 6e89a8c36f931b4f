// `sprout local`: the embedded Kubernetes API server plus Sprout's webhook (called over HTTPS by the
// embedded server, as in a real cluster) and controller, in one process. `--demo` loads the example
// policies, creates a namespace and shows what was generated.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { LocalServer } from '../../cluster/http/index.js';
import { openDurableCluster } from '../../cluster/persist/index.js';
import type { DurableCluster } from '../../cluster/persist/index.js';
import { untilTerminated } from '../../main/local.js';
import type { LocalStack } from '../../main/local-stack.js';
import { startLocalStack } from '../../main/local-stack.js';
import type { Runtime } from '../../main/runtime.js';
import { createLogger } from '../../platform/logger.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { installPolicies, runDemo } from '../local-demo.js';
import type { ExitSink } from './index.js';

interface LocalFlags {
  port: string;
  kubeconfigOut?: string;
  dataDir?: string;
  policies?: string[];
  demo: boolean;
  logLevel: string;
  namespace?: string;
}

export interface LocalDeps {
  /** Resolves when the server should stop (a signal in production, a test's trigger in tests). */
  untilStopped: () => Promise<unknown>;
  /** Called once the server is up (tests use it to reach the server). */
  onStarted?: (server: LocalServer, runtime: Runtime) => void;
}

export function registerLocal(program: Command, io: CliIo, exit: ExitSink, deps: LocalDeps = { untilStopped: untilTerminated }): void {
  program
    .command('local')
    .description('run an embedded Kubernetes API server with Sprout attached; kubectl can talk to it')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--kubeconfig-out <file>', 'where to write the kubeconfig (default: a temporary file)')
    .option('--data-dir <dir>', 'keep state across restarts in this folder (write-ahead log + snapshots, fsync\'d before each write is acknowledged)')
    .option('--policies <path...>', 'policy files or folders to install at start')
    .option('--demo', 'install the example policies, create a namespace and show what Sprout generated', false)
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'warn')
    .option('--namespace <ns>', "Sprout's own namespace (admission records, leases, events); `kyverno` where tools expect Kyverno's", 'sprout')
    .action(async (flags: LocalFlags) => {
      exit(await localCommand(flags, io, deps));
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port: "${text}" is not a port number (0-65535)`);
  return port;
}

export async function localCommand(flags: LocalFlags, io: CliIo, deps: LocalDeps): Promise<number> {
  const port = parsePort(flags.port);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(flags.logLevel)) {
    throw new UsageError(`--log-level: "${flags.logLevel}" is not one of fatal, error, warn, info, debug`);
  }
  const started = Date.now();
  const dataDir = flags.dataDir === undefined ? undefined : resolve(io.cwd, flags.dataDir);
  const durable: DurableCluster | undefined = dataDir === undefined ? undefined : await openDurableCluster({ dir: dataDir });
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      server: {
        port,
        kubeconfigPath: flags.kubeconfigOut === undefined ? undefined : resolve(io.cwd, flags.kubeconfigOut),
        cluster: durable?.cluster,
      },
      logger: createLogger({ level: flags.logLevel as 'warn' }),
      namespace: flags.namespace,
    });
  } catch (e) {
    await durable?.close();
    throw e;
  }
  const { server, runtime } = stack;
  const cluster = server.cluster;
  deps.onStarted?.(server, runtime);
  io.out(
    `sprout local: Kubernetes API server on ${server.url}, Sprout's webhook on https://127.0.0.1:${runtime.webhookPort} (ready in ${Date.now() - started} ms)\n` +
      `kubeconfig: ${server.kubeconfigPath}\n`,
  );
  try {
    if (flags.policies) await installPolicies(cluster, flags.policies.map((p) => resolve(io.cwd, p)), io);
    if (flags.demo) await runDemo(cluster, runtime, io);
    io.out(
      `\n  export KUBECONFIG=${server.kubeconfigPath}\n  kubectl create ns my-team && kubectl get networkpolicy,resourcequota,limitrange,secret -n my-team\n\n` +
        `${stateLine(dataDir, durable)} Stop with Ctrl-C (SIGINT) or SIGTERM.\n`,
    );
    await deps.untilStopped();
  } finally {
    io.out('sprout local: shutting down\n');
    await stack.close();
    await durable?.close();
  }
  return 0;
}

function stateLine(dataDir: string | undefined, durable: DurableCluster | undefined): string {
  if (dataDir === undefined || durable === undefined) return 'State is kept in memory.';
  const how = durable.restored ? `restored at resourceVersion ${durable.recovered.state?.rv ?? 0}` : 'new data dir';
  return `State is kept in ${dataDir} (${how}).`;
}
