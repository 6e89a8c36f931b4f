import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinScopeOf } from './builtin-scopes.js';
import { parseKindSelector, selectorApiVersion, splitGroupVersionKind } from './kind-selector.js';

test('built-in scopes by group and kind', () => {
  const cases: [string, string, string | undefined][] = [
    ['v1', 'ConfigMap', 'Namespaced'],
    ['v1', 'Namespace', 'Cluster'],
    ['apps/v1', 'Deployment', 'Namespaced'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'Cluster'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'Namespaced'],
    ['kyverno.io/v1', 'ClusterPolicy', 'Cluster'],
    ['example.com/v1', 'Widget', undefined],
    ['', 'Secret', 'Namespaced'],
    ['', 'Event', 'Namespaced'],
  ];
  for (const [apiVersion, kind, scope] of cases)
    assert.equal(builtinScopeOf(apiVersion, kind), scope, `${apiVersion} ${kind}`);
});

test('kind selectors split as Kyverno reads them', () => {
  assert.deepEqual(parseKindSelector('Pod'), { group: '*', version: '*', kind: 'Pod', subresource: '' });
  assert.deepEqual(parseKindSelector('v1/Pod'), { group: '*', version: 'v1', kind: 'Pod', subresource: '' });
  assert.deepEqual(parseKindSelector('Pod/exec'), {
    group: '*',
    version: '*',
    kind: 'Pod',
    subresource: 'exec',
  });
  assert.deepEqual(parseKindSelector('apps/v1/Deployment'), {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    subresource: '',
  });
  assert.deepEqual(parseKindSelector('apps/v1/Deployment/scale'), {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    subresource: 'scale',
  });
  assert.equal(selectorApiVersion(parseKindSelector('apps/v1/Deployment')), 'apps/v1');
  assert.equal(selectorApiVersion(parseKindSelector('v1/Pod')), '');
  assert.deepEqual(splitGroupVersionKind('apps/v1/Deployment'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
  assert.deepEqual(splitGroupVersionKind('v1/Secret'), { apiVersion: 'v1', kind: 'Secret' });
});
