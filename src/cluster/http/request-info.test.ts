import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequest } from './request-info.js';

describe('request info', () => {
  const cases: [string, string, object | undefined][] = [
    ['GET', '/api/v1/namespaces', { group: '', version: 'v1', namespace: '', resource: 'namespaces', name: '', subresource: '', verb: 'list' }],
    ['GET', '/api/v1/namespaces/default', { namespace: '', resource: 'namespaces', name: 'default', verb: 'get' }],
    ['PUT', '/api/v1/namespaces/default/status', { namespace: '', resource: 'namespaces', name: 'default', subresource: 'status', verb: 'update' }],
    ['GET', '/api/v1/namespaces/default/configmaps', { namespace: 'default', resource: 'configmaps', name: '', verb: 'list' }],
    ['GET', '/api/v1/namespaces/a/configmaps/a', { namespace: 'a', resource: 'configmaps', name: 'a', verb: 'get' }],
    ['GET', '/api/v1/configmaps?watch=true', { namespace: '', resource: 'configmaps', verb: 'watch' }],
    ['GET', '/api/v1/watch/namespaces/x/pods', { namespace: 'x', resource: 'pods', verb: 'watch' }],
    ['PATCH', '/apis/apps/v1/namespaces/x/deployments/web/status', { group: 'apps', version: 'v1', namespace: 'x', resource: 'deployments', name: 'web', subresource: 'status', verb: 'patch' }],
    ['POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'create' }],
    ['DELETE', '/api/v1/namespaces/x/configmaps', { verb: 'deletecollection' }],
    ['DELETE', '/api/v1/namespaces/x/configmaps/y', { verb: 'delete' }],
    ['OPTIONS', '/api/v1/namespaces', undefined],
  ];
  for (const [method, path, want] of cases) {
    it(`${method} ${path}`, () => {
      const got = parseRequest(method, new URL(path, 'https://x'));
      if (want === undefined) assert.equal(got, undefined);
      else assert.deepEqual({ ...got, ...want }, got);
    });
  }

  it('leaves discovery paths to the non-resource routes', () => {
    for (const path of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/openapi/v3', '/version']) {
      assert.equal(parseRequest('GET', new URL(path, 'https://x'))?.kind, 'nonresource', path);
    }
  });
});
