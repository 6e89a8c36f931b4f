import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import { MemoryCluster } from '../../cluster/memory/index.js';
import type { GeneratePlan } from '../../engine/generate/plan.js';
import { applyGeneratePlan, ConvergenceMemo } from './apply-plan.js';
import { isConverged } from './converge.js';

const secret = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });

test('isConverged: server defaults do not count as drift; removed data keys do', () => {
  const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1' } }, data: { k: 'v' } } as KubeObject;
  const live = { ...desired, metadata: { ...desired.metadata, uid: 'u', labels: { a: '1', extra: 'x' } } } as KubeObject;
  assert.equal(isConverged(desired, live), true);
  assert.equal(isConverged(desired, { ...live, data: { k: 'v', old: 'gone' } }), false);
  assert.equal(isConverged(desired, { ...live, data: { k: 'changed' } }), false);
});

test('isConverged: a Secret given as stringData matches the base64 data the server stores', () => {
  assert.equal(isConverged(secret({ stringData: { user: 'admin' } }), secret({ data: { user: 'YWRtaW4=' }, type: 'Opaque' })), true);
  assert.equal(isConverged(secret({ stringData: { user: 'admin' } }), secret({ data: { user: 'b3RoZXI=' } })), false);
});

test('a server that normalises what it stores cannot drive an update loop', async () => {
  const cluster = new MemoryCluster();
  // The server folds stringData into data; pretend the convergence check could not predict some other change.
  const desired = secret({ stringData: { a: 'b' }, weird: 'value' });
  const plan: GeneratePlan = {
    policy: 'p', policyName: 'p', policyNamespace: '', rule: 'r', trigger: desired, synchronize: true,
    orphanDownstreamOnPolicyDelete: false, useServerSideApply: false, labels: {}, errors: [],
    targets: [{ type: 'data', target: { apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 's' }, object: desired }],
  };
  await cluster.create(secret({ data: { a: 'Yw==' } }));
  const memo = new ConvergenceMemo();
  const first = await applyGeneratePlan(plan, cluster, memo);
  assert.equal(first.objects[0]?.action, 'updated');
  const second = await applyGeneratePlan(plan, cluster, memo);
  assert.equal(second.objects[0]?.action, 'unchanged');
});
