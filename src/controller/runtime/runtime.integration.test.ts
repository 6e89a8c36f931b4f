// The runtime pieces together on the memory cluster: an informer feeds a workqueue, workers
// reconcile, writes fail 20% of the time and the watch is cut mid-burst. Everything converges and
// no key is lost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterClient } from '../../cluster/client.js';
import { conflict, internalError, isAlreadyExists, tooManyRequests } from '../../cluster/errors.js';
import { MemoryCluster } from '../../cluster/memory/memory-cluster.js';
import { FakeClock } from '../../platform/clock.js';
import { Metrics } from '../../platform/metrics.js';
import { InformerFactory } from './informer-factory.js';
import { runWorkers } from './workers.js';
import { Workqueue } from './workqueue.js';
import { workqueueMetrics } from './workqueue-metrics.js';

/** A deterministic PRNG (mulberry32), so the failure pattern is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fails `rate` of creates with a 500, 409 or 429, as a struggling API server would. */
function flaky(cluster: MemoryCluster, rate: number): ClusterClient {
  const random = seeded(42);
  const failures = [
    () => internalError('etcdserver: leader changed'),
    () => conflict({ group: '', resource: 'configmaps' }, 'generated'),
    () => tooManyRequests('too many requests', 1),
  ];
  return new Proxy(cluster, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (prop === 'create' && random() < rate)
          return Promise.reject(failures[Math.floor(random() * 3)]!());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('informer + workqueue + workers', () => {
  it('converges through write failures and a cut watch, dropping no key', async () => {
    const clock = new FakeClock();
    const cluster = new MemoryCluster({ clock: () => new Date(clock.now()), namespaces: ['default'] });
    const client = flaky(cluster, 0.2);
    const metrics = new Metrics();
    const queue = new Workqueue({
      name: 'generate',
      clock,
      hooks: workqueueMetrics(metrics, 'generate'),
      backoff: { capMs: 10_000 },
    });
    const factory = new InformerFactory({ client, clock });
    const namespaces = factory.informerFor({ apiVersion: 'v1', kind: 'Namespace' });
    namespaces.addHandlers({
      onAdd: (ns) => queue.add(ns.metadata.name ?? ''),
      onUpdate: (_old, ns) => queue.add(ns.metadata.name ?? ''),
    });
    let reconciles = 0;
    const ac = new AbortController();
    const informers = factory.run(ac.signal);
    for (let i = 0; i < 25; i++)
      await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` } });
    assert.equal(await factory.waitForSync(ac.signal), true);
    const workers = runWorkers(queue, {
      workers: 4,
      signal: ac.signal,
      handler: async (name) => {
        reconciles++;
        if (!name.startsWith('team-') || namespaces.get(name) === undefined) return;
        try {
          await client.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { namespace: name, name: 'generated' },
            data: { owner: name },
          });
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
      },
    });
    for (let i = 25; i < 50; i++) {
      await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` } });
      if (i === 35) {
        await clock.settle();
        cluster.closeWatches(); // the watch is cut; what happens next is only seen by a relist
      }
      if (i === 40) cluster.compact();
    }
    await clock.advance(120_000);
    const generated = await cluster.list(
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { fieldSelector: 'metadata.name=generated' },
    );
    const owners = new Set(generated.items.map((cm) => cm.metadata.namespace));
    for (let i = 0; i < 50; i++) assert.ok(owners.has(`team-${i}`), `team-${i} has its ConfigMap`);
    assert.equal(generated.items.length, 50, 'none duplicated');
    assert.equal(queue.length + queue.inFlight + queue.delayedCount, 0, 'nothing left to do');
    const text = await metrics.expose();
    const retries = Number(/sprout_workqueue_retries_total\{name="generate"\} (\d+)/.exec(text)?.[1]);
    assert.ok(retries > 0, 'the injected failures show in the retry metric');
    assert.ok(reconciles >= 50 + retries);
    ac.abort();
    await Promise.all([informers, workers]);
  });
});
