// The all-in-one local stack: the embedded API server with Sprout's webhook and controller attached,
// the webhook registered by URL so the embedded server calls it over HTTPS as a real one would.
import type { LocalServer, LocalServerOptions } from '../cluster/http/index.js';
import { startLocalServer } from '../cluster/http/index.js';
import { AlreadyExistsError } from '../cluster/errors.js';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { createLogger } from '../platform/logger.js';
import type { Runtime } from './runtime.js';
import { startRuntime } from './runtime.js';

/** Sprout's own namespace in the local stack. */
export const SPROUT_NAMESPACE = 'sprout';

export interface LocalStackOptions {
  server?: LocalServerOptions;
  logger?: Logger;
  clock?: Clock;
  resyncPeriodMs?: number;
  workers?: number;
  /** Sprout's namespace (its records, leases, events); default `sprout`. */
  namespace?: string;
}

export interface LocalStack {
  server: LocalServer;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startLocalStack(o: LocalStackOptions = {}): Promise<LocalStack> {
  const server = await startLocalServer(o.server ?? {});
  const namespace = o.namespace ?? SPROUT_NAMESPACE;
  try {
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
  const runtime = await startRuntime({
    cluster: server.cluster,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? createLogger({ level: 'warn' }),
    namespace,
    webhook: { host: '127.0.0.1', port: 0, endpoint: (p) => ({ url: `https://127.0.0.1:${p}` }), hosts: ['127.0.0.1', 'localhost'] },
    resyncPeriodMs: o.resyncPeriodMs,
    workers: o.workers,
  });
  await runtime.ready;
  return {
    server,
    runtime,
    close: async () => {
      await runtime.stop();
      await server.close();
    },
  };
}
