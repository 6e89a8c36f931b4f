import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionRequest } from '../api/admission.js';
import type { KubeObject } from '../api/kube.js';
import { kyvernoFunctions } from './jmespath/kyverno/index.js';
import type { PolicyRequest } from './request.js';
import { requestContext } from './request.js';
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
