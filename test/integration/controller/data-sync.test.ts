// §3.7 rows for `data` rules, on the in-memory cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, eventually, eventuallyGone, startHarness, staysGone } from './harness.js';

const policy = (sync: boolean, extra = ''): string => `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: netpol}
spec:
  rules:
  - name: default-deny
    match:
      any:
      - resources:
          kinds: [Namespace]
          selector: {matchLabels: {netpol: "on"}}
    generate:
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      name: default-deny
      namespace: "{{request.object.metadata.name}}"
      synchronize: ${sync}${extra}
      data:
        spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;
const np = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  namespace: 'team-a',
  name: 'default-deny',
};
const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {netpol: "on"}}\n';

test('data + sync: created, recreated when deleted, reverted when modified, deleted when the trigger stops matching', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy(true));
    await eventually(
      h.client,
      { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'netpol' },
      (p) => JSON.stringify(p['status'] ?? {}).includes('"Ready"'),
      'ready',
    );
    await apply(h.client, ns);
    const created = await eventually(h.client, np);
    assert.equal(created.metadata.labels?.['generate.kyverno.io/policy-name'], 'netpol');
    assert.equal(created.metadata.labels?.['app.kubernetes.io/managed-by'], 'kyverno');

    await h.client.delete(np);
    await eventually(h.client, np, () => true, 'recreated');

    const live = await h.client.get(np);
    await h.client.update({ ...live, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    await eventually(h.client, np, (o) => JSON.stringify(o['spec']).includes('Egress'), 'reverted');

    await apply(
      h.client,
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {netpol: "off"}}\n',
    );
    await eventuallyGone(h.client, np);
  } finally {
    await h.stop();
  }
});

test('data without sync: created once, a deleted downstream stays deleted, a modified one is kept', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy(false));
    await apply(h.client, ns);
    const created = await eventually(h.client, np);
    await h.client.update({ ...created, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    assert.ok(!(await staysGone(h, np)));
    assert.deepEqual((await h.client.get(np))['spec'], { podSelector: {}, policyTypes: ['Ingress'] });
    await h.client.delete(np);
    assert.ok(await staysGone(h, np));
  } finally {
    await h.stop();
  }
});

test('policy deletion deletes synchronized data downstream unless orphaned', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy(true));
    await apply(h.client, ns);
    await eventually(h.client, np);
    await h.client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'netpol' });
    await eventuallyGone(h.client, np);

    // As in Kyverno, a re-created policy without generateExisting acts on new triggers only.
    await h.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'team-a' });
    await eventuallyGone(h.client, { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' });
    await apply(h.client, policy(true, '\n      orphanDownstreamOnPolicyDelete: true'));
    await apply(h.client, ns);
    await eventually(h.client, np);
    await h.client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'netpol' });
    assert.ok(!(await staysGone(h, np)), 'orphaned downstream is kept');
  } finally {
    await h.stop();
  }
});

test('changing a rule target lets go of the old downstream (labels removed, object kept), as Kyverno does', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy(true));
    await apply(h.client, ns);
    await eventually(h.client, np);
    await apply(h.client, policy(true).replace('name: default-deny\n      namespace', 'name: default-deny-v2\n      namespace'));
    const old = await eventually(h.client, np, (o) => o.metadata.labels?.['generate.kyverno.io/policy-name'] === undefined, 'released');
    assert.equal(old.metadata.labels?.['app.kubernetes.io/managed-by'], 'kyverno');
    await apply(h.client, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {netpol: "on", touched: "yes"}}\n');
    await eventually(h.client, { ...np, name: 'default-deny-v2' });
    assert.ok(!(await staysGone(h, np)), 'the released object is not pruned');
  } finally {
    await h.stop();
  }
});

const chained = (skip: string): string => `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: chained}
spec:
  rules:
  - name: first
    match: {any: [{resources: {kinds: [ConfigMap], names: [seed]}}]}
    generate: {apiVersion: v1, kind: ConfigMap, name: derived, namespace: "{{request.object.metadata.namespace}}", data: {data: {a: b}}}
  - name: second
    match: {any: [{resources: {kinds: [ConfigMap], names: [derived]}}]}
    ${skip}
    generate: {apiVersion: v1, kind: ServiceAccount, name: from-derived, namespace: "{{request.object.metadata.namespace}}"}
`;

for (const [skip, generated] of [['', false], ['skipBackgroundRequests: true', false], ['skipBackgroundRequests: false', true]] as const) {
  test(`a rule triggered by another rule's downstream (${skip || 'default'}): ${generated ? 'generates' : 'skips, as Kyverno skips its own background requests'}`, async () => {
    const h = await startHarness();
    try {
      await apply(h.client, chained(skip));
      await apply(h.client, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: seed, namespace: default}\n');
      await eventually(h.client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'derived' });
      const sa = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'default', name: 'from-derived' };
      if (generated) await eventually(h.client, sa);
      else assert.ok(await staysGone(h, sa));
    } finally {
      await h.stop();
    }
  });
}
