import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { ObjectRef } from '../../cluster/client.js';
import { MemoryCluster } from '../../cluster/memory/index.js';
import { clusterLookup } from '../../pipeline/cluster-lookup.js';
import { PolicyStore } from '../policy-store.js';
import { DownstreamIndex } from './downstream-index.js';
import { triggerRefOf } from './key.js';
import { GenerateReconciler } from './reconciler.js';

/** The memory cluster, counting reads by kind. */
class CountingCluster extends MemoryCluster {
  readonly gets = new Map<string, number>();
  override get(ref: ObjectRef): Promise<KubeObject> {
    this.gets.set(ref.kind, (this.gets.get(ref.kind) ?? 0) + 1);
    return super.get(ref);
  }
}

const policyObject: KubeObject = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p' },
  spec: {
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        generate: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'settings',
          namespace: '{{request.object.metadata.name}}',
          synchronize: true,
          data: { data: { owner: '{{request.object.metadata.name}}' } },
        },
      },
    ],
  },
};

async function setup(cached: (live: KubeObject) => KubeObject | undefined): Promise<{ cluster: CountingCluster; reconciler: GenerateReconciler; trigger: KubeObject }> {
  const cluster = new CountingCluster();
  const trigger = await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  const store = new PolicyStore();
  store.upsert(policyObject);
  const reconciler = new GenerateReconciler({
    cluster,
    env: { now: () => 0, random: () => 0.5, lookup: clusterLookup(cluster) },
    downstream: new DownstreamIndex(),
    policy: (k) => store.get(k),
    namespaceLabels: () => Promise.resolve({}),
    cachedTrigger: () => cached(trigger),
  });
  return { cluster, reconciler, trigger };
}

describe('GenerateReconciler and the trigger cache', () => {
  const cases: { name: string; cached: (live: KubeObject) => KubeObject | undefined; triggerReads: number }[] = [
    { name: 'the cached trigger, same uid: no read', cached: (live) => live, triggerReads: 0 },
    { name: 'nothing cached: read from the server', cached: () => undefined, triggerReads: 1 },
    { name: 'cached with another uid (replaced): read from the server', cached: (live) => ({ ...live, metadata: { ...live.metadata, uid: 'older' } }), triggerReads: 1 },
    {
      name: 'cached while being deleted: read from the server',
      cached: (live) => ({ ...live, metadata: { ...live.metadata, deletionTimestamp: '2026-11-24T00:00:00Z' } }),
      triggerReads: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { cluster, reconciler, trigger } = await setup(c.cached);
      const result = await reconciler.reconcile({ policy: 'p', rule: 'r', trigger: triggerRefOf(trigger) }, { force: true });
      assert.equal(result.action, 'generated');
      assert.equal(cluster.gets.get('Namespace') ?? 0, c.triggerReads);
      // The downstream was not in the (empty) index, so it was created without reading it first.
      assert.equal(cluster.gets.get('ConfigMap') ?? 0, 0);
      const cm = await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team', name: 'settings' });
      assert.deepEqual(cm['data'], { owner: 'team' });
    });
  }
});
