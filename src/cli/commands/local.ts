// `sprout local`: runs the embedded Kubernetes API server until SIGINT/SIGTERM and prints how to
// point kubectl at it.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { startLocalServer } from '../../cluster/http/index.js';
import type { LocalServer } from '../../cluster/http/index.js';
import { untilTerminated } from '../../main/local.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from './index.js';

interface LocalFlags {
  port: string;
  kubeconfigOut?: string;
  dataDir?: string;
}

export interface LocalDeps {
  /** Resolves when the server should stop (a signal in production, a test's trigger in tests). */
  untilStopped: () => Promise<unknown>;
  /** Called once the server is up (tests use it to reach the server). */
  onStarted?: (server: LocalServer) => void;
}

export function registerLocal(program: Command, io: CliIo, exit: ExitSink, deps: LocalDeps = { untilStopped: untilTerminated }): void {
  program
    .command('local')
    .description('run an embedded Kubernetes API server (in memory) that kubectl can talk to')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--kubeconfig-out <file>', 'where to write the kubeconfig (default: a temporary file)')
    .option('--data-dir <dir>', 'keep state across restarts in this folder (not supported yet)')
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
  if (flags.dataDir !== undefined) {
    io.err(`warning: --data-dir is not supported yet; the state of this server is kept in memory only\n`);
  }
  const started = Date.now();
  const server = await startLocalServer({
    port,
    kubeconfigPath: flags.kubeconfigOut === undefined ? undefined : resolve(io.cwd, flags.kubeconfigOut),
  });
  deps.onStarted?.(server);
  io.out(
    `sprout local: Kubernetes API server listening on ${server.url} (started in ${Date.now() - started} ms)\n` +
      `kubeconfig: ${server.kubeconfigPath}\n\n` +
      `  export KUBECONFIG=${server.kubeconfigPath}; kubectl get ns\n\n` +
      `State is kept in memory. Stop with Ctrl-C (SIGINT) or SIGTERM.\n`,
  );
  await deps.untilStopped();
  io.out('sprout local: shutting down\n');
  await server.close();
  return 0;
}
