import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../../api/admission.js';
import { MemoryCluster } from './memory-cluster.js';

const SPROUT: UserInfo = {
  username: 'system:serviceaccount:sprout:sprout',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:sprout', 'system:authenticated'],
};
const RBAC = 'rbac.authorization.k8s.io/v1';
const NP = { verb: 'create', group: 'networking.k8s.io', resource: 'networkpolicies' };

describe('MemoryCluster access', () => {
  it('allows everything by default, for its own identity and for anyone', async () => {
    const c = new MemoryCluster();
    assert.deepEqual(await c.reviewAccess({ ...NP, namespace: 'x' }), { allowed: true });
    assert.deepEqual(await c.reviewAccessFor({ username: 'bob' }, { ...NP }), { allowed: true });
  });

  it('a denial applies to its namespace and to cluster-wide requests, until lifted', async () => {
    const c = new MemoryCluster();
    const lift = c.denyAccess({ ...NP, namespace: 'team' });
    const table: [string | undefined, boolean][] = [
      ['team', false],
      [undefined, false],
      ['other', true],
    ];
    for (const [namespace, allowed] of table) {
      assert.equal((await c.reviewAccess({ ...NP, namespace })).allowed, allowed, `namespace ${namespace ?? '(all)'}`);
    }
    assert.equal((await c.reviewAccess({ ...NP, verb: 'delete', namespace: 'team' })).allowed, true);
    lift();
    assert.equal((await c.reviewAccess({ ...NP, namespace: 'team' })).allowed, true);
  });

  it('a denial for one user leaves others alone', async () => {
    const c = new MemoryCluster();
    c.denyAccess({ resource: 'secrets', user: SPROUT.username });
    const secrets = { verb: 'get', group: '', resource: 'secrets', namespace: 'a' };
    assert.equal((await c.reviewAccessFor(SPROUT, secrets)).allowed, false);
    assert.equal((await c.reviewAccessFor({ username: 'alice' }, secrets)).allowed, true);
  });

  it('with RBAC on, its identity gets what stored bindings grant, aggregation included', async () => {
    const c = new MemoryCluster({ access: { identity: SPROUT, rbac: true } });
    assert.equal((await c.reviewAccess({ ...NP, namespace: 'x' })).allowed, false);
    await c.create({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'sprout:generate' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.sprout.io/aggregate-to-generate': 'true' } }] },
      rules: [],
    });
    await c.create({
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'sprout:generate' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'sprout:generate' },
      subjects: [{ kind: 'ServiceAccount', name: 'sprout', namespace: 'sprout' }],
    });
    assert.equal((await c.reviewAccess({ ...NP, namespace: 'x' })).allowed, false);
    await c.create({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'np', labels: { 'rbac.sprout.io/aggregate-to-generate': 'true' } },
      rules: [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create'] }],
    });
    assert.equal((await c.reviewAccess({ ...NP, namespace: 'x' })).allowed, true);
    assert.equal((await c.reviewAccess({ ...NP })).allowed, true);
  });

  it('answers review objects for the subject they name, without storing them', async () => {
    const c = new MemoryCluster({ access: { rbac: true } });
    c.denyAccess({ verb: 'delete' });
    const attrs = { verb: 'get', resource: 'pods', namespace: 'default' };
    const cases: { kind: string; spec: object; requester: UserInfo; allowed: boolean }[] = [
      // The requester of a SelfSubjectAccessReview is its subject: here the admin.
      { kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs }, requester: { username: 'a', groups: ['system:masters'] }, allowed: true },
      { kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs }, requester: { username: 'nobody' }, allowed: false },
      // A SubjectAccessReview names its subject; who asks does not matter.
      { kind: 'SubjectAccessReview', spec: { user: 'nobody', resourceAttributes: attrs }, requester: { username: 'a', groups: ['system:masters'] }, allowed: false },
      { kind: 'SubjectAccessReview', spec: { user: 'x', groups: ['system:masters'], resourceAttributes: attrs }, requester: { username: 'nobody' }, allowed: true },
      { kind: 'SubjectAccessReview', spec: { user: 'x', groups: ['system:masters'], resourceAttributes: { ...attrs, verb: 'delete' } }, requester: { username: 'nobody' }, allowed: false },
    ];
    for (const k of cases) {
      const review = c.answerAccessReview(
        { apiVersion: 'authorization.k8s.io/v1', kind: k.kind, metadata: {}, spec: k.spec },
        k.requester,
      );
      assert.equal((review.status as { allowed: boolean }).allowed, k.allowed, `${k.kind} ${JSON.stringify(k.spec)}`);
    }
    const created = await c.create({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { verb: 'delete', resource: 'pods' } },
    });
    assert.deepEqual(created.status, { allowed: false, reason: "denied by the memory cluster's access rules" });
    assert.equal((await c.list({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview' })).items.length, 0);
  });
});
