// Faults: failing writes, a controller restart mid-burst, a cut watch. Nothing may be lost or doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryCluster } from '../../../src/cluster/memory/index.js';
import { FlakyClient, seeded } from './flaky-client.js';
import { apply, startHarness, waitFor } from './harness.js';

const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: quota}
spec:
  rules:
  - name: quota
    match: {any: [{resources: {kinds: [Namespace], names: ["burst-*"]}}]}
    generate:
      synchronize: true
      apiVersion: v1
      kind: ResourceQuota
      name: default-quota
      namespace: "{{request.object.metadata.name}}"
      data: {spec: {hard: {pods: "10"}}}
`;

async function createNamespaces(cluster: MemoryCluster, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++)
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `burst-${i}` } });
}

async function quotas(cluster: MemoryCluster): Promise<number> {
  return (await cluster.list({ apiVersion: 'v1', kind: 'ResourceQuota' })).items.length;
}

test('20% of writes fail with 500/409/429: everything converges, failures show in metrics and Events', async () => {
  let flaky: FlakyClient | undefined;
  const h = await startHarness({
    client: (c) => {
      flaky = new FlakyClient(c, 0.2, seeded(7));
      return flaky.client();
    },
  });
  try {
    await apply(h.cluster, policy);
    await createNamespaces(h.cluster, 0, 200);
    await waitFor(async () => (await quotas(h.cluster)) === 200, '200 quotas', 30_000);
    assert.ok((flaky?.failures ?? 0) > 10, `injected ${flaky?.failures} failures`);
    const scrape = await h.metrics.expose();
    const errors = /sprout_generate_reconcile_errors_total\{policy="quota",rule="quota"\} (\d+)/.exec(scrape);
    assert.ok(errors && Number(errors[1]) > 0, 'errors are counted');
    assert.match(scrape, /sprout_workqueue_retries_total\{name="generate"\} [1-9]/);
    const events = await h.cluster.list({ apiVersion: 'v1', kind: 'Event' });
    assert.ok(
      events.items.some((e) => e['reason'] === 'PolicyError'),
      'a PolicyError event is recorded',
    );
  } finally {
    await h.stop();
  }
});

test('the controller killed mid-burst of 1,000 triggers and restarted: every downstream present once', async () => {
  const first = await startHarness();
  const cluster = first.cluster;
  await apply(cluster, policy);
  await createNamespaces(cluster, 0, 1000);
  // Stop while work is still queued.
  await first.stop();
  const generatedBefore = await quotas(cluster);
  assert.ok(generatedBefore < 1000, `the first controller was stopped before finishing (${generatedBefore})`);

  const { GenerateController } = await import('../../../src/controller/generate-controller.js');
  const { systemClock } = await import('../../../src/platform/clock.js');
  const { silentLogger } = await import('../../../src/platform/logger.js');
  const { Metrics } = await import('../../../src/platform/metrics.js');
  const second = new GenerateController({
    cluster,
    clock: systemClock,
    logger: silentLogger(),
    metrics: new Metrics(),
    workers: 4,
  });
  const abort = new AbortController();
  const running = second.run(abort.signal);
  try {
    await waitFor(
      async () => (await quotas(cluster)) === 1000 && second.pending() === 0,
      '1000 quotas',
      60_000,
    );
    const names = (await cluster.list({ apiVersion: 'v1', kind: 'ResourceQuota' })).items.map(
      (q) => `${q.metadata.namespace}/${q.metadata.name}`,
    );
    assert.equal(new Set(names).size, 1000, 'no duplicates');
  } finally {
    abort.abort();
    await running;
  }
});

test('a cut watch with compacted history: the informers relist and no trigger is missed', async () => {
  const h = await startHarness();
  try {
    await apply(h.cluster, policy);
    await createNamespaces(h.cluster, 0, 20);
    h.cluster.closeWatches();
    h.cluster.compact();
    await createNamespaces(h.cluster, 20, 40);
    h.cluster.closeWatches();
    await createNamespaces(h.cluster, 40, 60);
    await waitFor(async () => (await quotas(h.cluster)) === 60, '60 quotas', 30_000);
  } finally {
    await h.stop();
  }
});
