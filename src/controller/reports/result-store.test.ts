// Results are keyed by API group, kind, namespace and name, never by version: the informer watches one
// version of a kind while admission sends whichever version the client used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReportResult, ReportSubject } from './report-format.js';
import { parseResourceKey, resourceKey, ResultStore } from './result-store.js';

const RESULT: ReportResult = {
  policy: 'p',
  rule: 'r',
  result: 'fail',
  message: 'm',
  source: 'kyverno',
  scored: true,
  properties: { process: 'background scan' },
  timestamp: { seconds: 1, nanos: 0 },
};

test('resourceKey ignores the version; parseResourceKey gives the group back', () => {
  const cases = [
    { a: 'autoscaling/v1', b: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', ns: 'shop', group: 'autoscaling' },
    { a: 'example.com/v1alpha1', b: 'example.com/v1', kind: 'Widget', ns: undefined, group: 'example.com' },
    { a: 'v1', b: 'v1', kind: 'ConfigMap', ns: 'default', group: '' },
  ];
  for (const c of cases) {
    const ka = resourceKey({ apiVersion: c.a, kind: c.kind, name: 'x', ...(c.ns ? { namespace: c.ns } : {}) });
    const kb = resourceKey({ apiVersion: c.b, kind: c.kind, name: 'x', ...(c.ns ? { namespace: c.ns } : {}) });
    assert.equal(ka, kb, c.kind);
    assert.deepEqual(parseResourceKey(ka), { group: c.group, kind: c.kind, name: 'x', ...(c.ns ? { namespace: c.ns } : {}) });
  }
  // Same kind name in different groups stays apart.
  assert.notEqual(
    resourceKey({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', namespace: 'n' }),
    resourceKey({ apiVersion: 'example.com/v1', kind: 'Deployment', name: 'x', namespace: 'n' }),
  );
});

test('one object seen under two versions has one entry, scoped with a real apiVersion', () => {
  const store = new ResultStore();
  const v2: ReportSubject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'shop', uid: 'u1' };
  const v1: ReportSubject = { ...v2, apiVersion: 'autoscaling/v1' };
  assert.equal(store.set(v2, 'p', 'background', [RESULT]), true);
  // The same outcome through admission under the other version changes nothing.
  assert.equal(store.set(v1, 'p', 'admission', [RESULT]), false);
  assert.deepEqual(store.keys(), [resourceKey(v2)]);
  assert.equal(store.reportFor(resourceKey(v1))?.subject.apiVersion, 'autoscaling/v2');
  // Removing it by the other version removes the one entry: nothing leaks.
  assert.equal(store.removeResource(v1), true);
  assert.deepEqual(store.keys(), []);
});

test('remove drops a resource by key', () => {
  const store = new ResultStore();
  const s: ReportSubject = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'n', uid: 'u' };
  store.set(s, 'p', 'admission', [RESULT]);
  assert.equal(store.remove(resourceKey(s)), true);
  assert.equal(store.remove(resourceKey(s)), false);
  assert.deepEqual(store.keys(), []);
});
