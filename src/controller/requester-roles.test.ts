import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube.js';
import { rolesFor } from './requester-roles.js';

const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: { kind: string; name: string }, subjects: object[], namespace?: string): KubeObject =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });

const rbs = [
  binding('RoleBinding', 'dev-edit', { kind: 'Role', name: 'editor' }, [{ kind: 'User', name: 'nancy' }], 'dev'),
  binding('RoleBinding', 'dev-view', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'devs' }], 'dev'),
  binding('RoleBinding', 'ci', { kind: 'Role', name: 'deployer' }, [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }], 'prod'),
];
const crbs = [
  binding('ClusterRoleBinding', 'cluster-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'Group', name: 'system:masters' }]),
  binding('ClusterRoleBinding', 'nancy', { kind: 'ClusterRole', name: 'ns-admin' }, [{ kind: 'User', name: 'nancy' }]),
  binding('ClusterRoleBinding', 'nancy-again', { kind: 'ClusterRole', name: 'ns-admin' }, [{ kind: 'User', name: 'nancy' }]),
];

const cases: Array<{ name: string; user: { username: string; groups?: string[] }; roles: string[]; clusterRoles: string[] }> = [
  { name: 'user subjects, Role as ns:name, ClusterRole once', user: { username: 'nancy' }, roles: ['dev:editor'], clusterRoles: ['ns-admin'] },
  { name: 'group subjects, a RoleBinding to a ClusterRole counts as a cluster role', user: { username: 'bob', groups: ['devs'] }, roles: [], clusterRoles: ['view'] },
  { name: 'system:masters gets cluster-admin', user: { username: 'kubernetes-admin', groups: ['system:masters'] }, roles: [], clusterRoles: ['cluster-admin'] },
  { name: 'service account subjects by their username', user: { username: 'system:serviceaccount:tools:ci' }, roles: ['prod:deployer'], clusterRoles: [] },
  { name: 'a user named like a group is not in it', user: { username: 'devs' }, roles: [], clusterRoles: [] },
];

for (const c of cases) {
  test(`rolesFor: ${c.name}`, () => {
    assert.deepEqual(rolesFor(c.user, rbs, crbs), { roles: c.roles, clusterRoles: c.clusterRoles });
  });
}
