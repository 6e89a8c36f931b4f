import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { notFound, resourceNotFound } from '../errors.js';
import { DiscoveryCache, resourcesFromList } from './discovery.js';

const APPS = {
  kind: 'APIResourceList',
  groupVersion: 'apps/v1',
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['get', 'list'],
      shortNames: ['deploy'],
      categories: ['all'],
    },
    {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    },
    {
      name: 'deployments/status',
      singularName: '',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    },
  ],
};

describe('discovery', () => {
  it('an APIResourceList becomes ResourceInfo with subresources folded in', () => {
    assert.deepEqual(resourcesFromList('apps', 'v1', APPS), [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        resource: 'deployments',
        singular: 'deployment',
        namespaced: true,
        subresources: ['scale', 'status'],
        verbs: ['get', 'list'],
        shortNames: ['deploy'],
        categories: ['all'],
        listKind: 'DeploymentList',
      },
    ]);
    assert.deepEqual(
      resourcesFromList('', 'v1', { resources: [{ name: 'pods', kind: 'Pod' }] })[0]?.singular,
      'pod',
    );
    assert.deepEqual(resourcesFromList('x', 'v1', 'garbage'), []);
  });

  it('a miss refetches only that group-version, so CRDs created later are found', async () => {
    const fetched: string[] = [];
    let crdInstalled = false;
    const cache = new DiscoveryCache((path) => {
      fetched.push(path);
      if (path === '/apis/apps/v1') return Promise.resolve(APPS);
      if (path === '/apis/example.com/v1' && crdInstalled) {
        return Promise.resolve({
          resources: [
            { name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get'] },
          ],
        });
      }
      return Promise.reject(resourceNotFound());
    });
    assert.equal((await cache.resolveKind('apps/v1', 'Deployment'))?.resource, 'deployments');
    assert.equal((await cache.resolveResource('apps', 'v1', 'deployments'))?.kind, 'Deployment');
    assert.equal(await cache.resolveKind('example.com/v1', 'Widget'), undefined);
    crdInstalled = true;
    assert.equal((await cache.resolveKind('example.com/v1', 'Widget'))?.resource, 'widgets');
    assert.equal((await cache.resolveKind('example.com/v1', 'Widget'))?.resource, 'widgets');
    assert.deepEqual(fetched, ['/apis/apps/v1', '/apis/example.com/v1', '/apis/example.com/v1']);
  });

  it('resources() walks /api and /apis, skips unavailable group-versions, and caches for the TTL', async () => {
    let now = 0;
    let calls = 0;
    const docs: Record<string, unknown> = {
      '/api': { kind: 'APIVersions', versions: ['v1'] },
      '/apis': {
        kind: 'APIGroupList',
        groups: [
          { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] },
          {
            name: 'metrics.k8s.io',
            versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
          },
        ],
      },
      '/api/v1': { resources: [{ name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['get'] }] },
      '/apis/apps/v1': APPS,
    };
    const cache = new DiscoveryCache(
      (path) => {
        calls++;
        const doc = docs[path];
        if (path === '/apis/metrics.k8s.io/v1beta1')
          return Promise.reject(new Error('503 service unavailable'));
        return doc === undefined
          ? Promise.reject(notFound({ group: '', resource: 'x' }, path))
          : Promise.resolve(doc);
      },
      { ttlMs: 1000, now: () => now },
    );
    const all = await cache.resources();
    assert.deepEqual(all.map((r) => `${r.group}/${r.version}/${r.resource}`).sort(), [
      '/v1/configmaps',
      'apps/v1/deployments',
    ]);
    const after = calls;
    await cache.resources();
    assert.equal(calls, after, 'cached');
    now = 2000;
    await cache.resources();
    assert.equal(calls, after * 2, 'refreshed after the TTL');
    all[0]?.verbs.push('mutated');
    assert.ok(!(await cache.resources()).some((r) => r.verbs.includes('mutated')), 'callers get copies');
  });
});
