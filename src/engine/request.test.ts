import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionRequest } from '../api/admission.js';
import type { KubeObject } from '../api/kube.js';
import { kyvernoFunctions } from './jmespath/kyverno/index.js';
import type { PolicyRequest } from './request.js';
import { copyRequestRoot, requestContext, sharedRequestContext } from './request.js';
import { requestRuleContext } from './rule-context.js';
import { testEnv } from './test-support.js';
import { EvalContext } from './variables/context.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
};

function admissionRequest(): PolicyRequest {
  const admission: AdmissionRequest = {
    uid: 'abc',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'web',
    namespace: 'shop',
    operation: 'CREATE',
    userInfo: { username: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts'] },
    object: structuredClone(pod),
    oldObject: null,
    subResource: undefined,
    dryRun: false,
  };
  return {
    operation: 'CREATE',
    object: admission.object ?? undefined,
    admission,
    user: { userInfo: admission.userInfo, roles: ['shop:dev'], clusterRoles: ['view'] },
  };
}

test('the request variable is the admission request as JSON, plus operation, roles and clusterRoles', () => {
  const req = admissionRequest();
  const want = {
    request: {
      ...(JSON.parse(JSON.stringify(req.admission)) as object),
      operation: 'CREATE',
      roles: ['shop:dev'],
      clusterRoles: ['view'],
    },
    serviceAccountName: 'deployer',
    serviceAccountNamespace: 'ci',
  };
  const root = requestContext(req);
  assert.deepEqual(root, want);
  // Undefined fields are left out, as JSON leaves them out.
  assert.equal(Object.hasOwn(root['request'] as object, 'subResource'), false);
});

test('writes through the context never reach the admission request', () => {
  const req = admissionRequest();
  const before = structuredClone(req.admission);
  const ctx = new EvalContext(requestContext(req), { now: () => 0, random: () => 0.5 }, kyvernoFunctions);
  ctx.set('request.object.metadata.labels.app', 'changed');
  ctx.set('request.userInfo.username', 'someone');
  ctx.set('request.operation', 'UPDATE');
  ctx.set('extra', 1);
  assert.equal(ctx.query('request.object.metadata.labels.app'), 'changed');
  assert.deepEqual(req.admission, before);
  assert.equal(req.object?.metadata.labels?.['app'], 'web');
});

test('copyRequestRoot copies a request root as a key-by-key copy would, for every request shape', () => {
  const shapes: PolicyRequest[] = [
    admissionRequest(),
    { operation: 'CREATE', object: pod },
    { operation: 'DELETE', oldObject: pod },
    { operation: '', object: pod, user: { userInfo: { username: 'system:serviceaccount:a:b' }, roles: [], clusterRoles: [] } },
  ];
  for (const req of shapes) {
    const root = requestContext(req);
    const copy = copyRequestRoot(root);
    assert.notEqual(copy, root);
    assert.deepEqual(Object.entries(copy), Object.entries(root));
    for (const key of Object.keys(root)) assert.equal(copy[key], root[key]);
  }
});

test('a rule context copies the shared root on its first write, and the shared root stays as it was', () => {
  const req = admissionRequest();
  const shared = sharedRequestContext(req);
  const keys = Object.keys(shared);
  const ctx = requestRuleContext({ name: 'r', match: {} }, req, testEnv, undefined, undefined, false);
  ctx.setName('team', 'blue');
  ctx.setNames('element', 'dev', 'elementIndex', 0);
  assert.deepEqual(Object.keys(ctx.data), [...keys, 'team', 'element', 'elementIndex']);
  assert.deepEqual(Object.keys(shared), keys);
  assert.equal(ctx.data['request'], shared['request']);
  assert.equal(sharedRequestContext(req), shared);
});
