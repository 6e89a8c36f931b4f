// The three measurements of bench/local, each against a fresh `sprout local` child process.
import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LocalProcess } from '../../src/cluster/persist/testing.js';
import { spawnLocal } from '../../src/cluster/persist/testing.js';
import { ApiClient, runFor, runPool } from './api-client.js';
import type { LatencySummary } from './report.js';
import { procRssMiB, summarize } from './report.js';

export interface Server {
  proc: LocalProcess;
  api: ApiClient;
  pid: number;
  stop(): Promise<void>;
}

export async function startServer(args: string[] = []): Promise<Server> {
  const proc = await spawnLocal(args);
  proc.dispose();
  const path = /^kubeconfig: (\S+)$/m.exec(proc.output())?.[1];
  if (path === undefined || proc.child.pid === undefined) throw new Error(`no kubeconfig path in:\n${proc.output()}`);
  const api = new ApiClient(path);
  return {
    proc,
    api,
    pid: proc.child.pid,
    stop: async () => {
      api.close();
      proc.child.kill('SIGTERM');
      await proc.exited;
    },
  };
}

export function configMap(namespace: string, name: string, value: string): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { key: value } };
}

export async function createNamespace(api: ApiClient, name: string): Promise<void> {
  await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

const cmPath = (ns: string): string => `/api/v1/namespaces/${ns}/configmaps`;

/** ConfigMap creates per second at each concurrency, for `durationMs` each. */
export async function measureWrites(dataDir: boolean, concurrencies: number[], durationMs: number): Promise<Record<number, number>> {
  const dir = dataDir ? await mkdtemp(join(tmpdir(), 'sprout-bench-data-')) : undefined;
  const server = await startServer(dir ? ['--data-dir', dir] : []);
  try {
    await createNamespace(server.api, 'bench');
    // A short warm-up so the JIT and the TLS sessions are there before timing.
    await runPool(500, 16, (i) => server.api.create(cmPath('bench'), configMap('bench', `warm-${i}`, 'v')));
    const out: Record<number, number> = {};
    for (const c of concurrencies) {
      const { done, elapsedMs } = await runFor(durationMs, c, (i) =>
        server.api.create(cmPath('bench'), configMap('bench', `w${c}-${i}`, `value-${i}`)),
      );
      out[c] = (done / elapsedMs) * 1000;
    }
    return out;
  } finally {
    await server.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

export interface WatchResult {
  /** Write acknowledged → event read, over every (write, watcher) pair; negative values count as 0. */
  fromAck: LatencySummary;
  /** Write sent → event read. */
  fromSend: LatencySummary;
  /** Events that arrived before the client had read the write's response. */
  beforeAck: number;
  missing: number;
}

/** `objects` ConfigMaps, then `watchers` watches, then `writes` sequential creates timed to each watcher. */
export async function measureWatch(objects: number, watchers: number, writes: number): Promise<WatchResult> {
  const server = await startServer();
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  try {
    const api = server.api;
    await createNamespace(api, 'watched');
    await runPool(objects, 64, (i) => api.create(cmPath('watched'), configMap('watched', `base-${i}`, `value-${i}`)));
    const list = JSON.parse((await api.call('GET', `${cmPath('watched')}?limit=1`)).body) as { metadata: { resourceVersion: string } };
    const arrivals = Array.from({ length: watchers }, () => new Map<string, number>());
    await Promise.all(
      arrivals.map((seen) =>
        api.watch(`${cmPath('watched')}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (e) => {
          if (e.type === 'ADDED') seen.set(e.name, e.at);
        }, abort.signal),
      ),
    );
    const sent: number[] = [];
    const acked: number[] = [];
    for (let i = 0; i < writes; i++) {
      sent.push(performance.now());
      await api.create(cmPath('watched'), configMap('watched', `timed-${i}`, `value-${i}`));
      acked.push(performance.now());
    }
    // Let the last events land.
    const deadline = performance.now() + 5000;
    while (arrivals.some((a) => a.size < writes) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    let beforeAck = 0;
    let missing = 0;
    for (const seen of arrivals) {
      for (let i = 0; i < writes; i++) {
        const at = seen.get(`timed-${i}`);
        if (at === undefined) {
          missing++;
          continue;
        }
        const delta = at - (acked[i] ?? 0);
        if (delta < 0) beforeAck++;
        fromAck.push(Math.max(0, delta));
        fromSend.push(at - (sent[i] ?? 0));
      }
    }
    return { fromAck: summarize(fromAck), fromSend: summarize(fromSend), beforeAck, missing };
  } finally {
    abort.abort();
    await server.stop();
  }
}

export interface RssResult {
  startMiB: number;
  endMiB: number;
  peakMiB: number;
  createsPerSecond: number;
}

/** RSS of the server process (VmRSS) right after start and after `objects` small ConfigMaps. */
export async function measureRss(objects: number, namespaces: number): Promise<RssResult> {
  const server = await startServer();
  try {
    const api = server.api;
    for (let n = 0; n < namespaces; n++) await createNamespace(api, `rss-${n}`);
    const start = procRssMiB(server.pid);
    const elapsed = await runPool(objects, 64, (i) => {
      const ns = `rss-${i % namespaces}`;
      return api.create(cmPath(ns), configMap(ns, `cm-${i}`, `value-${i}`));
    });
    // Give the server a moment to finish any work after the last ack (GC, watch fan-out).
    await new Promise((r) => setTimeout(r, 1000));
    const end = procRssMiB(server.pid);
    return { startMiB: start.rss, endMiB: end.rss, peakMiB: end.peak, createsPerSecond: (objects / elapsed) * 1000 };
  } finally {
    await server.stop();
  }
}
