import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestContext } from './request.js';

test('request.namespace of a Namespace is its own name, as kube-apiserver reports it; other objects keep theirs', () => {
  const ns = requestContext({ operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } });
  assert.equal((ns['request'] as { namespace: string }).namespace, 'team-a');
  const cm = requestContext({ operation: 'CREATE', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-b' } } });
  assert.equal((cm['request'] as { namespace: string }).namespace, 'team-b');
  const crb = requestContext({ operation: 'CREATE', object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' } } });
  assert.equal((crb['request'] as { namespace: string }).namespace, '');
});
