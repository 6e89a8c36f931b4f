import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import type { AccessAttributes } from '../client.js';
import type { RbacObjects } from './rbac.js';
import { authorizeRbac } from './rbac.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const SPROUT: UserInfo = {
  username: 'system:serviceaccount:sprout:sprout',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:sprout', 'system:authenticated'],
};

function clusterRole(
  name: string,
  rules: object[],
  extra: { labels?: Record<string, string>; aggregationRule?: object } = {},
): KubeObject {
  const obj: KubeObject = { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, labels: extra.labels }, rules };
  if (extra.aggregationRule) obj.aggregationRule = extra.aggregationRule;
  return obj;
}

function role(namespace: string, name: string, rules: object[]): KubeObject {
  return { apiVersion: RBAC, kind: 'Role', metadata: { name, namespace }, rules };
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, roleRef: { kind: string; name: string }, subjects: object[], namespace?: string): KubeObject {
  return {
    apiVersion: RBAC,
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

const saSubject = { kind: 'ServiceAccount', name: 'sprout', namespace: 'sprout' };
const cmRule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create'] };

// The chart's shape: an aggregate ClusterRole bound to Sprout, filled by labelled ClusterRoles.
const aggregated: RbacObjects = {
  roles: [role('team', 'np-writer', [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['*'] }])],
  clusterRoles: [
    clusterRole('sprout:generate', [], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.kyverno.io/aggregate-to-background-controller': 'true' } }] },
    }),
    clusterRole('cm-for-sprout', [cmRule], { labels: { 'rbac.kyverno.io/aggregate-to-background-controller': 'true' } }),
    clusterRole('unlabelled', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['regcred'] }]),
    clusterRole('scaler', [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update'] }]),
  ],
  clusterRoleBindings: [
    binding('ClusterRoleBinding', 'sprout:generate', { kind: 'ClusterRole', name: 'sprout:generate' }, [saSubject]),
    binding('ClusterRoleBinding', 'scalers', { kind: 'ClusterRole', name: 'scaler' }, [{ kind: 'Group', name: 'system:serviceaccounts:sprout' }]),
  ],
  roleBindings: [
    binding('RoleBinding', 'np', { kind: 'Role', name: 'np-writer' }, [saSubject], 'team'),
    binding('RoleBinding', 'secrets', { kind: 'ClusterRole', name: 'secret-reader' }, [{ kind: 'ServiceAccount', name: 'sprout' }], 'sprout'),
    binding('RoleBinding', 'alice-all', { kind: 'ClusterRole', name: 'unlabelled' }, [{ kind: 'User', name: 'alice' }], 'team'),
  ],
};

const cases: { name: string; user?: UserInfo; attrs: AccessAttributes; allowed: boolean }[] = [
  { name: 'aggregated ClusterRole grants its members\' rules cluster-wide', attrs: { verb: 'create', group: '', resource: 'configmaps', namespace: 'any' }, allowed: true },
  { name: 'a cluster-wide request through the aggregate', attrs: { verb: 'get', group: '', resource: 'configmaps' }, allowed: true },
  { name: 'a verb the rule does not list', attrs: { verb: 'delete', group: '', resource: 'configmaps', namespace: 'x' }, allowed: false },
  { name: 'an unlabelled ClusterRole does not join the aggregate', attrs: { verb: 'create', group: '', resource: 'secrets', namespace: 'x' }, allowed: false },
  { name: 'a Role grants in its namespace', attrs: { verb: 'delete', group: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'team' }, allowed: true },
  { name: 'a Role grants nothing elsewhere', attrs: { verb: 'delete', group: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'other' }, allowed: false },
  { name: 'a namespaced grant is no cluster-wide grant', attrs: { verb: 'delete', group: 'networking.k8s.io', resource: 'networkpolicies' }, allowed: false },
  { name: 'the wrong group', attrs: { verb: 'get', group: 'apps', resource: 'configmaps', namespace: 'x' }, allowed: false },
  { name: 'resourceNames: the named object', attrs: { verb: 'get', group: '', resource: 'secrets', namespace: 'sprout', name: 'regcred' }, allowed: true },
  { name: 'resourceNames: another object', attrs: { verb: 'get', group: '', resource: 'secrets', namespace: 'sprout', name: 'other' }, allowed: false },
  { name: 'resourceNames: no name asked', attrs: { verb: 'get', group: '', resource: 'secrets', namespace: 'sprout' }, allowed: false },
  { name: 'subresource through a Group subject', attrs: { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'x' }, allowed: true },
  { name: 'the resource is not its subresource', attrs: { verb: 'update', group: 'apps', resource: 'deployments', namespace: 'x' }, allowed: false },
  { name: 'a User subject', user: { username: 'alice', groups: [] }, attrs: { verb: 'create', group: 'x.io', resource: 'things', namespace: 'team' }, allowed: true },
  { name: 'someone unbound', user: { username: 'bob', groups: ['system:authenticated'] }, attrs: { verb: 'get', group: '', resource: 'configmaps', namespace: 'team' }, allowed: false },
  { name: 'system:masters may do anything', user: { username: 'admin', groups: ['system:masters'] }, attrs: { verb: 'delete', group: 'x', resource: 'y' }, allowed: true },
];

describe('authorizeRbac', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(authorizeRbac(c.user ?? SPROUT, c.attrs, aggregated).allowed, c.allowed);
    });
  }

  it('says which binding allowed the request', () => {
    const d = authorizeRbac(SPROUT, { verb: 'create', group: '', resource: 'configmaps', namespace: 'a' }, aggregated);
    assert.equal(d.reason, 'RBAC: allowed by ClusterRoleBinding "sprout:generate" of ClusterRole "sprout:generate"');
  });
});
