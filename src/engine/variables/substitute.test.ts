import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import { EvalContext } from './context.js';
import { substituteAll, VariableError } from './substitute.js';

const fns = { now: () => 0, random: () => 0.5 };
function ctxOf(root: JsonObject): EvalContext {
  return new EvalContext(root, fns, new Map());
}
const root: JsonObject = {
  request: {
    operation: 'CREATE',
    object: {
      metadata: { name: 'web', labels: { app: 'shop', tier: 'front' } },
      spec: { replicas: 3, paused: false },
    },
    oldObject: { metadata: { name: 'old-web' } },
  },
  cfg: { data: { shop: 'shop-config', key: 'app' } },
  nested: { x: '{{ request.object.metadata.name }}' },
};

test('a string that is exactly one variable keeps the JSON type of the value', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('{{request.object.spec.replicas}}', ctx), 3);
  assert.equal(substituteAll('{{ request.object.spec.paused }}', ctx), false);
  assert.deepEqual(substituteAll('{{request.object.metadata.labels}}', ctx), { app: 'shop', tier: 'front' });
});

test('variables inside text become strings; non-strings are JSON', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('name-{{request.object.metadata.name}}', ctx), 'name-web');
  assert.equal(substituteAll('r={{request.object.spec.replicas}}', ctx), 'r=3');
  assert.equal(substituteAll('l={{request.object.metadata.labels}}', ctx), 'l={"app":"shop","tier":"front"}');
  assert.equal(
    substituteAll('{{request.object.metadata.name}}-{{request.object.metadata.name}}', ctx),
    'web-web',
  );
  assert.equal(
    substituteAll('{{request.object.metadata.name}}{{request.object.spec.replicas}}', ctx),
    'web3',
  );
});

test('whole documents are walked: leaves and map keys', () => {
  const ctx = ctxOf(root);
  const doc = {
    metadata: { name: '{{request.object.metadata.name}}', labels: { '{{cfg.data.key}}': 'x' } },
    list: ['{{request.operation}}', 1],
  };
  assert.deepEqual(substituteAll(doc, ctx), {
    metadata: { name: 'web', labels: { app: 'x' } },
    list: ['CREATE', 1],
  });
  assert.equal(doc.metadata.name, '{{request.object.metadata.name}}', 'input is not mutated');
});

test('nested variables resolve inside out', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('{{ cfg.data.{{request.object.metadata.labels.app}} }}', ctx), 'shop-config');
});

test('a substituted value that holds a variable is resolved again, unless shallow {{- }}', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('v: {{nested.x}}', ctx), 'v: web');
  assert.equal(substituteAll('v: {{- nested.x}}', ctx), 'v: {{ request.object.metadata.name }}');
});

test('\\{{ escapes a variable and the backslash is removed', () => {
  const ctx = ctxOf(root);
  assert.equal(
    substituteAll('keep \\{{ request.object.metadata.name }} as is', ctx),
    'keep {{ request.object.metadata.name }} as is',
  );
  assert.equal(substituteAll('\\{{x}} and {{request.operation}}', ctx), '{{x}} and CREATE');
});

test('on DELETE, request.object reads request.oldObject', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('{{request.object.metadata.name}}', ctx, { operation: 'DELETE' }), 'old-web');
});

test('a missing key is an error naming the variable and the path', () => {
  const ctx = ctxOf(root);
  assert.throws(
    () => substituteAll({ spec: { x: '{{request.object.missing}}' } }, ctx, { path: '/generate' }),
    (e: unknown) =>
      e instanceof VariableError && e.variable === 'request.object.missing' && e.path === '/generate/spec/x',
  );
  assert.throws(() => substituteAll('{{ }}', ctx), VariableError);
  assert.throws(() => substituteAll('{{ a[ }}', ctx), VariableError);
});

test('strings without variables are returned untouched', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('plain {text}', ctx), 'plain {text}');
  assert.equal(substituteAll(42, ctx), 42);
  assert.equal(substituteAll(null, ctx), null);
});

test('EvalContext.set writes dotted paths copy-on-write and checkpoints restore', () => {
  const ctx = ctxOf({ a: { b: 1 } });
  ctx.checkpoint();
  ctx.set('a.c', 2);
  ctx.set('x."y.z"', 'q');
  assert.deepEqual(ctx.data, { a: { b: 1, c: 2 }, x: { 'y.z': 'q' } });
  ctx.restore();
  assert.deepEqual(ctx.data, { a: { b: 1 } });
  ctx.set('element', 1);
  ctx.dropCheckpoint();
  assert.deepEqual(ctx.data, { a: { b: 1 } });
});

test('an outer variable that becomes the whole string after inner ones resolve keeps its type', () => {
  const ctx = ctxOf(root);
  assert.equal(substituteAll('{{ request.object.spec.{{ cfg.data.key == `"app"` && `"replicas"` || `"x"` }} }}', ctx), 3);
});
