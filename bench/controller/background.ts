// Background generation on the memory cluster, run in a fresh child process per measurement so RSS
// is that run's alone. `controller`: 10k namespaces, then the GenerateController, then one policy with
// 3 generateExisting data rules; timed from the policy's create until all 30k ConfigMaps exist and
// the queue is empty. `bare`: the same 10k namespaces, then the same 30k ConfigMaps (same names,
// labels and data) created by a plain client with as many requests in flight as the controller has
// workers. With a QPS, both sides talk to the cluster through the same client-side rate limit (a token
// bucket, as KubeClient and client-go have): the "at the same QPS" comparison.
// Usage (from run.ts): node dist/bench/controller/background.js controller|bare [namespaces] [qps]
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../../src/api/kube.js';
import type { ClusterClient } from '../../src/cluster/client.js';
import { TokenBucket } from '../../src/cluster/kube/rate-limiter.js';
import { MemoryCluster } from '../../src/cluster/memory/index.js';
import { GenerateController } from '../../src/controller/generate-controller.js';
import { managementLabels } from '../../src/engine/generate/labels.js';
import { systemClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { Metrics } from '../../src/platform/metrics.js';
import { runPool } from '../local/api-client.js';
import { mib, sleep } from '../local/report.js';
import { dataPolicy, namespaceObject } from './policies.js';

export interface BackgroundResult {
  mode: 'controller' | 'bare';
  namespaces: number;
  downstream: number;
  wallMs: number;
  rssMiB: number;
  heapUsedMiB: number;
}

const RULES = ['quota-defaults', 'team-settings', 'network-defaults'];
const POLICY = 'bench-existing';
const WORKERS = 4;
const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' };

const LIMITED = new Set(['get', 'list', 'create', 'update', 'updateStatus', 'patch', 'delete']);

/** The cluster behind a client-side rate limit on every request (watches stream and are not limited). */
function atQps(cluster: MemoryCluster, qps: number): ClusterClient {
  if (!(qps > 0)) return cluster;
  const bucket = new TokenBucket({ qps, burst: Math.max(1, Math.round(qps / 10)) });
  return new Proxy(cluster, {
    get(target, prop, receiver): unknown {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (!LIMITED.has(String(prop))) return fn.bind(target);
      return async (...args: unknown[]): Promise<unknown> => {
        await bucket.acquire();
        return fn.apply(target, args);
      };
    },
  });
}

async function fillNamespaces(cluster: MemoryCluster, count: number): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (let i = 0; i < count; i++) out.push(await cluster.create(namespaceObject(`bg-${i}`)));
  return out;
}

async function countDownstream(cluster: MemoryCluster): Promise<number> {
  const list = await cluster.list(CONFIG_MAP, { labelSelector: `generate.kyverno.io/policy-name=${POLICY}` });
  return list.items.length;
}

async function runController(namespaces: number, qps: number): Promise<BackgroundResult> {
  const cluster = new MemoryCluster();
  await fillNamespaces(cluster, namespaces);
  const controller = new GenerateController({
    cluster: atQps(cluster, qps),
    clock: systemClock,
    logger: createLogger({ level: 'error' }),
    metrics: new Metrics(),
    workers: WORKERS,
  });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  while (!controller.hasSynced()) await sleep(5);
  const expected = namespaces * RULES.length;
  const started = performance.now();
  await cluster.create(dataPolicy(POLICY, RULES, { synchronize: true, generateExisting: true }));
  // Done when the queue is empty and every downstream is there. The controller's own index says when
  // to look; the cluster's list confirms. Time and memory are taken before that list, as in the bare
  // run, so neither includes the benchmark's 30k-object verification read (an idle controller writes
  // nothing meanwhile, so the list sees the state at the time taken).
  let wallMs = 0;
  let mem = process.memoryUsage();
  let downstream = 0;
  for (;;) {
    await sleep(5);
    if (controller.pending() !== 0 || controller.downstream.size() < expected) continue;
    wallMs = performance.now() - started;
    mem = process.memoryUsage();
    downstream = await countDownstream(cluster);
    if (downstream >= expected) break;
  }
  abort.abort();
  await running;
  return { mode: 'controller', namespaces, downstream, wallMs, rssMiB: mib(mem.rss), heapUsedMiB: mib(mem.heapUsed) };
}

/** The ConfigMap the controller writes for (rule, namespace), labels included. */
function downstreamOf(rule: string, ns: KubeObject): KubeObject {
  const name = ns.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: rule, namespace: name, labels: managementLabels(POLICY, '', rule, ns) },
    data: { owner: name, tier: 'standard' },
  };
}

async function runBare(namespaces: number, qps: number): Promise<BackgroundResult> {
  const cluster = new MemoryCluster();
  const triggers = await fillNamespaces(cluster, namespaces);
  const client = atQps(cluster, qps);
  const expected = namespaces * RULES.length;
  const started = performance.now();
  await runPool(expected, WORKERS, async (i) => {
    const ns = triggers[Math.floor(i / RULES.length)] as KubeObject;
    await client.create(downstreamOf(RULES[i % RULES.length] ?? '', ns));
  });
  const wallMs = performance.now() - started;
  const mem = process.memoryUsage();
  return { mode: 'bare', namespaces, downstream: await countDownstream(cluster), wallMs, rssMiB: mib(mem.rss), heapUsedMiB: mib(mem.heapUsed) };
}

const mode = process.argv[2];
if (mode === 'controller' || mode === 'bare') {
  const namespaces = Number(process.argv[3] ?? 10_000);
  const qps = Number(process.argv[4] ?? 0);
  const result = mode === 'controller' ? await runController(namespaces, qps) : await runBare(namespaces, qps);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
