// Rules that read who made the request (request.userInfo, exclude.clusterRoles): the webhook's account
// of the request reaches the controller, the watch event that follows does not erase it, and a trigger
// deleted by someone the rule excludes keeps its downstream (Kyverno #9350's chainsaw test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionRequest, RequestUser } from '../../../src/api/admission.js';
import type { KubeObject } from '../../../src/api/kube.js';
import { KEPT_ANNOTATION } from '../../../src/controller/generate/reconciler.js';
import { apply, eventually, eventuallyGone, startHarness, tryGet, waitFor } from './harness.js';
import type { Harness } from './harness.js';

const policy = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: owner-role}
spec:
  background: false
  rules:
  - name: owner
    match: {any: [{resources: {kinds: [Namespace]}}]}
    exclude: {any: [{clusterRoles: [cluster-admin]}]}
    generate:
      synchronize: true
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      name: "ns-owner-{{request.object.metadata.name}}-{{request.userInfo.username}}"
      data:
        metadata: {annotations: {owner: "{{request.userInfo.username}}"}}
        rules: [{apiGroups: [""], resources: [namespaces], verbs: [get], resourceNames: ["{{request.object.metadata.name}}"]}]
`;

const nancy: RequestUser = { userInfo: { username: 'nancy', groups: ['system:authenticated'] }, roles: [], clusterRoles: ['ns-admin'] };
const admin: RequestUser = { userInfo: { username: 'kubernetes-admin', groups: ['system:masters'] }, roles: [], clusterRoles: ['cluster-admin'] };
const role = (ns: string): { apiVersion: string; kind: string; name: string } => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  name: `ns-owner-${ns}-nancy`,
});

function review(operation: 'CREATE' | 'DELETE', obj: KubeObject, user: RequestUser): AdmissionRequest {
  return {
    uid: `${operation}-${obj.metadata.name ?? ''}`,
    kind: { group: '', version: 'v1', kind: 'Namespace' },
    resource: { group: '', version: 'v1', resource: 'namespaces' },
    operation,
    name: obj.metadata.name ?? '',
    namespace: '',
    userInfo: user.userInfo,
    object: operation === 'DELETE' ? null : obj,
    oldObject: operation === 'DELETE' ? obj : null,
    dryRun: false,
  };
}

/** What the API server does: the webhook sees the request first, then the change is stored. */
async function createAs(h: Harness, name: string, user: RequestUser): Promise<KubeObject> {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: `uid-${name}` } };
  h.controller.handleAdmission(review('CREATE', ns, user), user);
  return h.cluster.create(ns, { uid: `uid-${name}` });
}

async function deleteAs(h: Harness, ns: KubeObject, user: RequestUser): Promise<void> {
  h.controller.handleAdmission(review('DELETE', ns, user), user);
  await h.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name ?? '' });
  await eventuallyGone(h.client, { apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name ?? '' });
}

async function settle(h: Harness): Promise<void> {
  await waitFor(() => h.controller.pending() === 0, 'queue drained');
  await new Promise((r) => setTimeout(r, 100));
  await waitFor(() => h.controller.pending() === 0, 'queue drained');
}

test('the requester named at admission generates the downstream, and later watch events keep it', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy);
    await createAs(h, 'team-a', nancy);
    const cr = await eventually(h.client, role('team-a'));
    assert.equal(cr.metadata.annotations?.['owner'], 'nancy');
    // Label changes reach the controller by watch only, with no requester: nothing fails or is deleted.
    const live = await h.client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team-a' });
    await h.client.update({ ...live, metadata: { ...live.metadata, labels: { touched: 'yes' } } });
    await settle(h);
    assert.ok(await tryGet(h.client, role('team-a')));
    assert.equal(await reconcileErrors(h), 0);
  } finally {
    await h.stop();
  }
});

test('a trigger deleted by a user the rule excludes keeps its synchronized downstream, as in Kyverno', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy);
    const ns = await createAs(h, 'team-b', nancy);
    await eventually(h.client, role('team-b'));
    await deleteAs(h, ns, admin);
    await settle(h);
    const kept = await tryGet(h.client, role('team-b'));
    assert.ok(kept, 'downstream kept');
    assert.equal(kept.metadata.annotations?.[KEPT_ANNOTATION], 'true');
  } finally {
    await h.stop();
  }
});

test('a trigger deleted by a user the rule matches takes its synchronized downstream with it', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, policy);
    const ns = await createAs(h, 'team-c', nancy);
    await eventually(h.client, role('team-c'));
    await deleteAs(h, ns, nancy);
    await eventuallyGone(h.client, role('team-c'));
  } finally {
    await h.stop();
  }
});

async function reconcileErrors(h: Harness): Promise<number> {
  const text = await h.metrics.registry.metrics();
  return text
    .split('\n')
    .filter((l) => l.startsWith('sprout_generate_reconcile_errors_total'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}
