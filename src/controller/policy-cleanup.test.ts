import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { LABEL } from '../engine/generate/labels.js';
import { silentLogger } from '../platform/logger.js';
import { DownstreamIndex, projectDownstream } from './generate/downstream-index.js';
import { PolicyCleanup } from './policy-cleanup.js';
import { PolicyStore } from './policy-store.js';

function policy(targetName: string): KyvernoPolicy {
  const change = new PolicyStore().upsert({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: {
      rules: [
        {
          name: 'r',
          match: { any: [{ resources: { kinds: ['Namespace'] } }] },
          generate: { apiVersion: 'v1', kind: 'ConfigMap', name: targetName, namespace: 'team', synchronize: true, data: { data: { k: 'v' } } },
        },
      ],
    },
  });
  assert.ok(change?.after);
  return change.after;
}

describe('PolicyCleanup.releaseChangedTargets', () => {
  it('removes only the management labels of the old target and keeps its content', async () => {
    const cluster = new MemoryCluster({ namespaces: ['default', 'team'] });
    const labels = { [LABEL.policyName]: 'p', [LABEL.ruleName]: 'r', [LABEL.managedBy]: 'kyverno', other: 'kept' };
    const old: KubeObject = await cluster.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'old-name', namespace: 'team', labels },
      data: { k: 'v', extra: 'x' },
    });
    const index = new DownstreamIndex();
    // The index holds what the downstream informer keeps: identity and labels, no data.
    index.upsert(projectDownstream(old));
    const released = await new PolicyCleanup(cluster, index, silentLogger()).releaseChangedTargets(policy('old-name'), policy('new-name'));
    assert.equal(released, 1);
    const live = await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team', name: 'old-name' });
    assert.deepEqual(live['data'], { k: 'v', extra: 'x' });
    assert.deepEqual(live.metadata.labels, { [LABEL.managedBy]: 'kyverno', other: 'kept' });
    assert.deepEqual(index.forRule('p'), []);
  });

  it('leaves downstream alone when the target did not change', async () => {
    const cluster = new MemoryCluster({ namespaces: ['default', 'team'] });
    const index = new DownstreamIndex();
    const released = await new PolicyCleanup(cluster, index, silentLogger()).releaseChangedTargets(policy('same'), policy('same'));
    assert.equal(released, 0);
  });
});
