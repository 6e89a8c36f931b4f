import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { ObjectRef } from '../../cluster/client.js';
import { MemoryCluster } from '../../cluster/memory/index.js';
import type { GeneratePlan } from '../../engine/generate/plan.js';
import { applyGeneratePlan } from './apply-plan.js';
import type { PresenceHint } from './apply-plan.js';

/** The memory cluster, counting reads. */
class CountingCluster extends MemoryCluster {
  gets = 0;
  override get(ref: ObjectRef): Promise<KubeObject> {
    this.gets++;
    return super.get(ref);
  }
}

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'default', labels: { 'generate.kyverno.io/policy-name': 'p' } },
  data,
});

function planFor(object: KubeObject, o: { synchronize?: boolean; useServerSideApply?: boolean } = {}): GeneratePlan {
  return {
    policy: 'p', policyName: 'p', policyNamespace: '', rule: 'r', trigger: object, synchronize: o.synchronize ?? true,
    orphanDownstreamOnPolicyDelete: false, useServerSideApply: o.useServerSideApply ?? false, labels: {}, errors: [],
    targets: [{ type: 'data', target: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'settings' }, object }],
  };
}

const absent: PresenceHint = () => 'absent';
const unknown: PresenceHint = () => 'unknown';

describe('applyGeneratePlan with a presence hint', () => {
  const cases: {
    name: string;
    existing?: Record<string, string>;
    hint?: PresenceHint;
    synchronize?: boolean;
    action: 'created' | 'updated' | 'unchanged';
    gets: number;
  }[] = [
    { name: 'absent and really absent: created without a read', hint: absent, action: 'created', gets: 0 },
    { name: 'no hint: read first, then create', action: 'created', gets: 1 },
    { name: 'unknown: read first, then create', hint: unknown, action: 'created', gets: 1 },
    { name: 'absent but there (a lagging cache): converges by read and update', existing: { k: 'old' }, hint: absent, action: 'updated', gets: 1 },
    { name: 'absent but there and already right: unchanged', existing: { k: 'v' }, hint: absent, action: 'unchanged', gets: 1 },
    { name: 'absent but there, no synchronize: left alone', existing: { k: 'old' }, hint: absent, synchronize: false, action: 'unchanged', gets: 1 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const cluster = new CountingCluster();
      if (c.existing) await cluster.create(configMap(c.existing));
      const result = await applyGeneratePlan(planFor(configMap({ k: 'v' }), { synchronize: c.synchronize }), cluster, undefined, c.hint);
      assert.deepEqual(result.errors, []);
      assert.equal(result.objects[0]?.action, c.action);
      assert.equal(cluster.gets, c.gets);
      const live = await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'settings' });
      assert.deepEqual(live['data'], c.synchronize === false && c.existing ? c.existing : { k: 'v' });
    });
  }

  it('server-side apply ignores the hint (apply creates and updates alike)', async () => {
    const cluster = new CountingCluster();
    const result = await applyGeneratePlan(planFor(configMap({ k: 'v' }), { useServerSideApply: true }), cluster, undefined, absent);
    assert.equal(result.objects[0]?.action, 'created');
    assert.equal(cluster.gets, 1);
  });
});
