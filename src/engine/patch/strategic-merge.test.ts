import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import { patchSchemaFor } from './patch-schemas.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

const pod = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { a: '1' }, finalizers: ['x'] },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
      { name: 'side', image: 'side:1' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
  },
});

const podSchema = patchSchemaFor('', 'Pod');

test('strategic merge patch on a Pod, case by case', () => {
  const cases: [string, JsonObject, (out: JsonObject) => unknown, unknown][] = [
    [
      'containers merge by name',
      { spec: { containers: [{ name: 'app', image: 'app:2' }] } },
      (o) =>
        (o.spec as { containers: { name: string; image: string }[] }).containers.map(
          (c) => `${c.name}=${c.image}`,
        ),
      ['app=app:2', 'side=side:1'],
    ],
    [
      'new containers are appended',
      { spec: { containers: [{ name: 'new', image: 'n:1' }] } },
      (o) => (o.spec as { containers: JsonObject[] }).containers.map((c) => c.name),
      ['app', 'side', 'new'],
    ],
    [
      '$patch: delete removes a list item',
      { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
      (o) => (o.spec as { containers: JsonObject[] }).containers.map((c) => c.name),
      ['app'],
    ],
    [
      'env merges by name inside a container',
      { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } },
      (o) => (o.spec as { containers: { env?: JsonObject[] }[] }).containers[0]?.env,
      [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    ],
    [
      'ports merge by containerPort',
      {
        spec: {
          containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }],
        },
      },
      (o) => (o.spec as { containers: { ports?: JsonObject[] }[] }).containers[0]?.ports,
      [{ containerPort: 80, name: 'http' }, { containerPort: 443 }],
    ],
    [
      'tolerations are atomic (replaced)',
      { spec: { tolerations: [{ key: 'other', operator: 'Exists' }] } },
      (o) => (o.spec as JsonObject).tolerations,
      [{ key: 'other', operator: 'Exists' }],
    ],
    [
      'finalizers merge as a set',
      { metadata: { finalizers: ['y', 'x'] } },
      (o) => (o.metadata as JsonObject).finalizers,
      ['x', 'y'],
    ],
    [
      '$deleteFromPrimitiveList',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
      (o) => (o.metadata as JsonObject).finalizers,
      [],
    ],
    [
      'null deletes a map key',
      { metadata: { labels: { a: null, b: '2' } } },
      (o) => (o.metadata as JsonObject).labels,
      { b: '2' },
    ],
    [
      '$patch: replace on a list',
      { spec: { containers: [{ name: 'only', image: 'o:1' }, { $patch: 'replace' }] } },
      (o) => (o.spec as { containers: JsonObject[] }).containers,
      [{ name: 'only', image: 'o:1' }],
    ],
    [
      '$patch: replace on a map',
      { metadata: { labels: { z: '9', $patch: 'replace' } } },
      (o) => (o.metadata as JsonObject).labels,
      { z: '9' },
    ],
    [
      '$retainKeys clears unlisted keys of a volume',
      {
        spec: { volumes: [{ name: 'data', configMap: { name: 'cm' }, $retainKeys: ['name', 'configMap'] }] },
      },
      (o) => (o.spec as JsonObject).volumes,
      [{ name: 'data', configMap: { name: 'cm' } }],
    ],
    [
      '$setElementOrder is accepted and dropped',
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
          containers: [{ name: 'app', image: 'app:3' }],
        },
      },
      (o) => Object.keys(o.spec as JsonObject).some((k) => k.startsWith('$')),
      false,
    ],
  ];
  for (const [name, patch, pick, want] of cases) {
    const original = pod();
    const out = applyStrategicMergePatch(original, patch, podSchema);
    assert.deepEqual(pick(out), want, name);
    assert.deepEqual(original, pod(), `${name}: original untouched`);
  }
});

test('a Deployment patches its pod template with the pod schema; unknown kinds replace lists', () => {
  const deploy: JsonObject = { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }] } } } };
  const out = applyStrategicMergePatch(
    deploy,
    { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } },
    patchSchemaFor('apps', 'Deployment'),
  );
  assert.deepEqual(
    ((out.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers.map(
      (c) => c.name,
    ),
    ['a', 'b'],
  );
  const cm = applyStrategicMergePatch(
    { data: { a: '1' }, list: [1, 2] },
    { data: { b: '2' }, list: [3] },
    patchSchemaFor('', 'ConfigMap'),
  );
  assert.deepEqual(cm, { data: { a: '1', b: '2' }, list: [3] });
});

test('Service ports merge by port', () => {
  const svc: JsonObject = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  const out = applyStrategicMergePatch(
    svc,
    { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    patchSchemaFor('', 'Service'),
  );
  assert.deepEqual((out.spec as JsonObject).ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
});
