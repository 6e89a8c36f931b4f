import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { EvalContext } from './context.js';
import { compileDoc, renderDoc, renderPolicyValue } from './doc-template.js';
import { substituteAll, VariableError } from './substitute.js';

const fns = { now: () => 0, random: () => 0.5 };
const root: JsonObject = {
  request: {
    operation: 'CREATE',
    object: { metadata: { name: 'web', labels: { app: 'shop' } }, spec: { replicas: 3 } },
    oldObject: { metadata: { name: 'old-web', labels: { app: 'old' } }, spec: { replicas: 1 } },
  },
  braces: '{{ request.object.metadata.name }}',
  open: 'x{',
  key: 'app',
};
const ctx = (): EvalContext => new EvalContext(root, fns, new Map());

// Strings chosen to hit both the concatenation fast path and every fallback to Kyverno's full loop
// (nesting, escapes, shallow substitution, values that contain braces). The expected values are what
// the substitution produced before templates existed.
const table: [string, string, JsonValue][] = [
  ['plain', 'CREATE', 'plain'],
  ['plain', 'DELETE', 'plain'],
  ['{{ request.object.metadata.name }}', 'CREATE', 'web'],
  ['{{ request.object.metadata.name }}', 'DELETE', 'old-web'],
  ['{{ request.object.spec.replicas }}', 'CREATE', 3],
  ['{{ request.object.spec.replicas }}', 'DELETE', 1],
  ['{{ request.object.metadata.labels }}', 'CREATE', { app: 'shop' }],
  ['{{ request.object.metadata.labels }}', 'DELETE', { app: 'old' }],
  ['n-{{ request.object.metadata.name }}-{{ request.object.spec.replicas }}', 'CREATE', 'n-web-3'],
  ['n-{{ request.object.metadata.name }}-{{ request.object.spec.replicas }}', 'DELETE', 'n-old-web-1'],
  ['{{ request.object.metadata.name }}-{{ request.object.metadata.name }}', 'CREATE', 'web-web'],
  ['{{ request.object.metadata.name }}-{{ request.object.metadata.name }}', 'DELETE', 'old-web-old-web'],
  ['{{request.object.metadata.name}}{{request.object.spec.replicas}}', 'CREATE', 'web3'],
  ['{{request.object.metadata.name}}{{request.object.spec.replicas}}', 'DELETE', 'old-web1'],
  ['{{ request.object.metadata.labels.{{ key }} }}', 'CREATE', 'shop'],
  ['{{ request.object.metadata.labels.{{ key }} }}', 'DELETE', 'old'],
  ['a \\{{ request.object.metadata.name }} b', 'CREATE', 'a {{ request.object.metadata.name }} b'],
  ['a \\{{ request.object.metadata.name }} b', 'DELETE', 'a {{ request.object.metadata.name }} b'],
  ['\\{{ x }}', 'CREATE', '{{ x }}'],
  ['\\{{ x }}', 'DELETE', '{{ x }}'],
  ['{{ braces }}', 'CREATE', '{{ request.object.metadata.name }}'],
  ['{{ braces }}', 'DELETE', '{{ request.object.metadata.name }}'],
  ['v={{ braces }}', 'CREATE', 'v=web'],
  ['v={{ braces }}', 'DELETE', 'v=old-web'],
  ['v={{- braces }}', 'CREATE', 'v={{ request.object.metadata.name }}'],
  ['v={{- braces }}', 'DELETE', 'v={{ request.object.metadata.name }}'],
  ['{{- braces }}', 'CREATE', '{{ request.object.metadata.name }}'],
  ['{{- braces }}', 'DELETE', '{{ request.object.metadata.name }}'],
  ['{{ open }}{ x', 'CREATE', 'x{{ x'],
  ['{{ open }}{ x', 'DELETE', 'x{{ x'],
  ['l={{ request.object.metadata.labels }}', 'CREATE', 'l={"app":"shop"}'],
  ['l={{ request.object.metadata.labels }}', 'DELETE', 'l={"app":"old"}'],
  ['{{ `{"a": 1}` }}', 'CREATE', { a: 1 }],
  ['{{ `{"a": 1}` }}', 'DELETE', { a: 1 }],
];

test('compiled strings render what the uncompiled algorithm produced', () => {
  for (const [s, operation, want] of table) {
    assert.deepEqual(renderDoc(compileDoc(s), ctx(), { operation }, '/p'), want, `${s} (${operation})`);
    assert.deepEqual(renderPolicyValue(s, ctx(), { operation, path: '/p' }), want, `${s} (${operation})`);
    assert.deepEqual(substituteAll(s, ctx(), { operation, path: '/p' }), want, `${s} (${operation})`);
  }
});

test('compiled documents render what substituteAll produces, with the same error paths', () => {
  const doc: JsonValue = {
    metadata: { name: '{{ request.object.metadata.name }}', labels: { fixed: 'yes' } },
    spec: { list: [1, '{{ request.object.spec.replicas }}', { deep: 'static' }], static: { a: [1, 2] } },
    dynamicKey: { '{{ key }}': '{{ request.operation }}' },
  };
  assert.deepEqual(
    renderDoc(compileDoc(doc), ctx(), {}, '/generate'),
    substituteAll(doc, ctx(), { path: '/generate' }),
  );
  const bad = { spec: { x: ['{{ request.object.missing }}'] } };
  assert.throws(
    () => renderDoc(compileDoc(bad), ctx(), {}, '/generate'),
    (e: unknown) => e instanceof VariableError && e.path === '/generate/spec/x/0',
  );
});

test('subtrees without variables are shared and frozen; variable values are copied on request', () => {
  const doc: JsonValue = { a: { b: [1, { c: 'd' }] }, labels: '{{ request.object.metadata.labels }}' };
  const t = compileDoc(doc);
  const first = renderDoc(t, ctx(), { copyValues: true }, '') as JsonObject;
  const second = renderDoc(t, ctx(), { copyValues: true }, '') as JsonObject;
  assert.notEqual(first, second);
  assert.equal(first['a'], second['a']);
  assert.ok(Object.isFrozen(first['a']));
  assert.throws(() => {
    (first['a'] as JsonObject)['b'] = 1;
  }, TypeError);
  const labels = (root['request'] as JsonObject)['object'] as JsonObject;
  assert.notEqual(first['labels'], (labels['metadata'] as JsonObject)['labels']);
  assert.deepEqual(first['labels'], { app: 'shop' });
  assert.equal(
    (doc['a'] as JsonObject)['b'] !== (first['a'] as JsonObject)['b'],
    true,
    'the policy is not frozen',
  );
  assert.equal(Object.isFrozen(doc['a']), false);
});
