import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import { pod, podRule, policyOf, testEnv } from '../test-support.js';
import { evaluateMutate } from './evaluate.js';

const mutate = (m: JsonObject, extra: JsonObject = {}): KyvernoPolicy =>
  policyOf(
    [podRule('m', { mutate: m, ...extra })],
    {},
    {
      'pod-policies.kyverno.io/autogen-controllers': 'none',
    },
  );
const run = (p: KyvernoPolicy, o: KubeObject) =>
  evaluateMutate(p, { operation: 'CREATE', object: o }, testEnv);
const spec = (o: KubeObject): JsonObject => (o as unknown as { spec: JsonObject }).spec;
const meta = (o: KubeObject): JsonObject => o.metadata as unknown as JsonObject;

test('patchStrategicMerge adds labels and reports the JSON patch', async () => {
  const r = await run(
    mutate({ patchStrategicMerge: { metadata: { labels: { foo: 'bar' } } } }),
    pod('a', { containers: [] }),
  );
  assert.equal(r.rules[0]?.status, 'pass');
  assert.equal(r.rules[0]?.message, 'mutated Pod/a in namespace default');
  assert.deepEqual(meta(r.resource)['labels'], { foo: 'bar' });
  assert.deepEqual(r.patches, [{ op: 'add', path: '/metadata/labels', value: { foo: 'bar' } }]);
});

test('no change is a skip', async () => {
  const r = await run(
    mutate({ patchStrategicMerge: { metadata: { labels: { foo: 'bar' } } } }),
    pod('a', {}, { labels: { foo: 'bar' } }),
  );
  assert.equal(r.rules[0]?.status, 'skip');
  assert.deepEqual(r.patches, []);
});

test('+() adds only when absent', async () => {
  const p = mutate({ patchStrategicMerge: { metadata: { annotations: { '+(x)': 'new' } } } });
  assert.deepEqual(meta((await run(p, pod('a', {}))).resource)['annotations'], { x: 'new' });
  const kept = await run(p, pod('b', {}, { annotations: { x: 'old' } }));
  assert.equal(kept.rules[0]?.status, 'skip');
});

test('conditional anchor in a list re-targets matching containers by name', async () => {
  const p = mutate({
    patchStrategicMerge: { spec: { containers: [{ '(image)': 'corp.io/*', imagePullPolicy: 'Always' }] } },
  });
  const r = await run(
    p,
    pod('a', {
      containers: [
        { name: 'a', image: 'corp.io/x' },
        { name: 'b', image: 'nginx' },
      ],
    }),
  );
  assert.deepEqual(spec(r.resource)['containers'], [
    { name: 'a', image: 'corp.io/x', imagePullPolicy: 'Always' },
    { name: 'b', image: 'nginx' },
  ]);
});

test('global anchor gates the whole patch', async () => {
  const p = mutate({
    patchStrategicMerge: {
      spec: { containers: [{ '<(image)': 'corp.io/*' }], imagePullSecrets: [{ name: 'secret' }] },
    },
  });
  const hit = await run(p, pod('a', { containers: [{ name: 'a', image: 'corp.io/x' }] }));
  assert.deepEqual(spec(hit.resource)['imagePullSecrets'], [{ name: 'secret' }]);
  const miss = await run(p, pod('b', { containers: [{ name: 'a', image: 'nginx' }] }));
  assert.equal(miss.rules[0]?.status, 'skip');
});

test('merge keys: containers merge by name, volumes by name, unknown lists of named maps by name', async () => {
  const p = mutate({
    patchStrategicMerge: {
      spec: {
        containers: [{ name: 'b', image: 'new' }],
        volumes: [{ name: 'v2', emptyDir: { medium: 'Memory' } }],
      },
    },
  });
  const r = await run(
    p,
    pod('a', {
      containers: [
        { name: 'a', image: 'x' },
        { name: 'b', image: 'old' },
      ],
      volumes: [{ name: 'v1', emptyDir: { medium: 'Memory' } }],
    }),
  );
  assert.deepEqual(spec(r.resource)['containers'], [
    { name: 'a', image: 'x' },
    { name: 'b', image: 'new' },
  ]);
  assert.equal((spec(r.resource)['volumes'] as JsonObject[]).length, 2);
});

test('patchesJson6902: negative indices and missing parents are created', async () => {
  const p = mutate({
    patchesJson6902:
      '- op: add\n  path: /spec/affinity/terms/-1/expr/-1\n  value: {key: zone}\n- op: add\n  path: /spec/tolerations/-\n  value: {key: a}',
  });
  const r = await run(p, pod('a', {}));
  assert.deepEqual(spec(r.resource)['affinity'], { terms: [{ expr: [{ key: 'zone' }] }] });
  assert.deepEqual(spec(r.resource)['tolerations'], [{ key: 'a' }]);
});

test('foreach: per-element patchStrategicMerge with variables, skip when nothing changes', async () => {
  const p = mutate({
    foreach: [
      {
        list: 'request.object.spec.containers',
        patchStrategicMerge: {
          spec: {
            containers: [{ '(name)': '{{ element.name }}', resources: { requests: { '+(cpu)': '100m' } } }],
          },
        },
      },
    ],
  });
  const r = await run(
    p,
    pod('a', {
      containers: [
        { name: 'a', image: 'x' },
        { name: 'b', image: 'y', resources: { requests: { cpu: '1' } } },
      ],
    }),
  );
  assert.equal(r.rules[0]?.status, 'pass');
  assert.deepEqual(spec(r.resource)['containers'], [
    { name: 'a', image: 'x', resources: { requests: { cpu: '100m' } } },
    { name: 'b', image: 'y', resources: { requests: { cpu: '1' } } },
  ]);
  const again = await run(p, r.resource);
  assert.equal(again.rules[0]?.status, 'skip');
});

test('foreach: descending JSON patch removals with nested elementIndex0/1 and preconditions', async () => {
  const p = mutate({
    foreach: [
      {
        list: 'request.object.spec.containers[]',
        foreach: [
          {
            list: 'element.volumeMounts',
            order: 'Descending',
            preconditions: { all: [{ key: '{{ element.name }}', operator: 'Equals', value: 'token-*' }] },
            patchesJson6902:
              '- path: /spec/containers/{{elementIndex0}}/volumeMounts/{{elementIndex1}}\n  op: remove',
          },
        ],
      },
    ],
  });
  const mounts = [{ name: 'token-1' }, { name: 'data' }, { name: 'token-2' }];
  const r = await run(p, pod('a', { containers: [{ name: 'a', image: 'x', volumeMounts: mounts }] }));
  assert.deepEqual((spec(r.resource)['containers'] as JsonObject[])[0]?.['volumeMounts'], [{ name: 'data' }]);
});

test('preconditions not met skip the rule; a substitution error is an error', async () => {
  const skip = mutate(
    { patchStrategicMerge: { metadata: { labels: { a: 'b' } } } },
    { preconditions: { all: [{ key: '{{ request.operation }}', operator: 'Equals', value: 'UPDATE' }] } },
  );
  assert.equal((await run(skip, pod('a', {}))).rules[0]?.status, 'skip');
  const err = mutate({ patchStrategicMerge: { metadata: { labels: { a: '{{ request.object.nope }}' } } } });
  assert.equal((await run(err, pod('a', {}))).rules[0]?.status, 'error');
});
