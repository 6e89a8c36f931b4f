// The exact shape of planned objects where the plan is built by specialised code: a template's own
// labels merged with the management labels, metadata without a rendered part, cloneList kinds, and
// the plan's target and error lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { GeneratePattern, KyvernoPolicy, Rule } from '../../api/policy.js';
import type { PolicyRequest } from '../request.js';
import { testEnv } from '../test-support.js';
import { evaluateGenerateSync } from './evaluate.js';
import { managementLabels, withManagementLabels } from './labels.js';
import type { GeneratePlan } from './plan.js';

const trigger: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', uid: 'u-1', labels: { team: 'blue', replicas: '2' }, annotations: { envs: 'dev,qa' } },
};
const request: PolicyRequest = { operation: 'CREATE', object: trigger };

function planOf(generate: Rule['generate']): GeneratePlan {
  const policy: KyvernoPolicy = {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate }] },
  };
  const plan = evaluateGenerateSync(policy, request, testEnv)?.[0]?.plan;
  assert.ok(plan);
  return plan;
}

const labels = managementLabels('p', '', 'r', trigger);

test('a template\'s labels merge with the management labels as Object.assign merges them', () => {
  const table: JsonObject[] = [
    {},
    { team: 'blue' },
    { team: 'blue', app: 'web' },
    // A template may set a management label: its position stays, the plan's value wins.
    { 'generate.kyverno.io/rule-name': 'mine', team: 'blue' },
    { 'app.kubernetes.io/managed-by': 'me' },
    // Integer-like keys come first in both.
    { '2': 'two', b: 'bee', '1': 'one' },
  ];
  for (const existing of table) {
    const want = Object.assign({}, existing, labels);
    const got = withManagementLabels(existing, labels);
    assert.deepEqual(got, want);
    assert.deepEqual(Object.keys(got), Object.keys(want));
    assert.notEqual(got, existing);
  }
});

test('a data target with labels of its own carries them first, then the plan labels', () => {
  const plan = planOf({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'cm',
    namespace: '{{ request.object.metadata.name }}',
    data: { metadata: { labels: { team: '{{ request.object.metadata.labels.team }}' } }, data: { a: 'b' } },
  });
  const target = plan.targets[0];
  assert.ok(target?.type === 'data');
  assert.deepEqual(Object.keys(target.object.metadata.labels ?? {}), ['team', ...Object.keys(plan.labels)]);
  assert.equal(target.object.metadata.labels?.['team'], 'blue');
  assert.deepEqual(Object.keys(target.object.metadata), ['labels', 'name', 'namespace']);
});

test('metadata without a rendered part: name, namespace (when set) and the shared, frozen labels', () => {
  const namespaced = planOf({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: 'shop', data: { data: {} } });
  const clusterScoped = planOf({ apiVersion: 'v1', kind: 'Namespace', name: 'other', data: { spec: {} } });
  const [a, b] = [namespaced.targets[0], clusterScoped.targets[0]];
  assert.ok(a?.type === 'data' && b?.type === 'data');
  assert.deepEqual(Object.keys(a.object.metadata), ['name', 'namespace', 'labels']);
  assert.deepEqual(Object.keys(b.object.metadata), ['name', 'labels']);
  assert.equal(a.object.metadata.labels, namespaced.labels);
  assert.ok(Object.isFrozen(b.object.metadata.labels));
  assert.deepEqual(a.object, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'shop', labels: namespaced.labels },
    data: {},
  });
});

test('cloneList kinds are printed as strings; a kinds value that is not a list fails the target', () => {
  const cloneList = (kinds: unknown): GeneratePattern => ({
    namespace: 'shop',
    cloneList: { namespace: 'shared', kinds: kinds as string[] },
  });
  const listed = planOf(cloneList(['v1/Secret', '{{ request.object.metadata.labels.replicas }}', 7]));
  assert.deepEqual(listed.targets, [
    { type: 'cloneList', namespace: 'shop', sourceNamespace: 'shared', kinds: ['v1/Secret', '2', '7'] },
  ]);
  const text = planOf(cloneList('{{ request.object.metadata.name }}'));
  assert.deepEqual(text.targets, []);
  assert.deepEqual(text.errors, ['cloneList.kinds.map is not a function']);
});

test('plans start with empty target and error lists and grow them one entry at a time', () => {
  const skipped = planOf({
    foreach: [{ list: "split(request.object.metadata.annotations.envs, ',')", preconditions: { all: [{ key: '{{ element }}', operator: 'Equals', value: 'none' }] }, apiVersion: 'v1', kind: 'ConfigMap', name: '{{ element }}', namespace: 'shop', data: {} }],
  });
  assert.deepEqual([skipped.targets, skipped.errors], [[], []]);
  const failing = planOf({
    foreach: [
      { list: 'request.object.metadata.missing', apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'shop', data: {} },
      { list: "split(request.object.metadata.annotations.envs, ',')", apiVersion: 'v1', kind: 'ConfigMap', name: '{{ element }}', namespace: '{{ nowhere }}', data: {} },
    ],
  });
  assert.equal(failing.targets.length, 0);
  assert.equal(failing.errors.length, 3);
  assert.match(failing.errors[0] ?? '', /^foreach\[0\]: failed to evaluate list/);
  assert.match(failing.errors[1] ?? '', /^foreach\[1\] element 0: failed to resolve nowhere/);
  assert.match(failing.errors[2] ?? '', /^foreach\[1\] element 1: /);
  // Each plan has lists of its own.
  assert.notEqual(failing.errors, planOf({ namespace: 'shop', clone: {} }).errors);
});
