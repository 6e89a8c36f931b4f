import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { compile } from '../jmespath/index.js';
import { EvalContext } from './context.js';

const fns = { now: () => 0, random: () => 0.5 };
const base = (): JsonObject => ({ request: { operation: 'CREATE' }, serviceAccountName: '' });
const ctxOn = (root: JsonObject): EvalContext => new EvalContext(root, fns, new Map());

test('writes never reach the root the context was built on', () => {
  const root = base();
  const ctx = ctxOn(root);
  ctx.set('a', 1);
  ctx.set('b', 2);
  ctx.setNames('element', 'x', 'elementIndex', 0);
  ctx.set('request.operation', 'DELETE');
  assert.deepEqual(root, base());
  assert.equal(ctx.query('a'), 1);
  assert.equal(ctx.query('b'), 2);
  assert.equal(ctx.query('element'), 'x');
  assert.equal(ctx.query('request.operation'), 'DELETE');
});

test('a checkpoint keeps the variables of its time; restore returns to it', () => {
  const ctx = ctxOn(base());
  ctx.set('outer', 'o');
  ctx.checkpoint();
  for (const [i, element] of ['a', 'b', 'c'].entries()) {
    ctx.restore();
    assert.throws(() => ctx.query('only'), /Unknown key "only"/);
    ctx.setNames('element', element, 'elementIndex', i);
    ctx.set('only', `${element}!`);
    assert.deepEqual(ctx.query('[outer, element, elementIndex, only]'), ['o', element, i, `${element}!`]);
  }
  ctx.dropCheckpoint();
  assert.equal(ctx.query('outer'), 'o');
  assert.throws(() => ctx.query('element'), /Unknown key "element"/);
});

// `@` hands out the root object itself: a later write must not change what the caller holds,
// nor make the context contain itself.
const escapes: [string, (ctx: EvalContext) => JsonValue][] = [
  ['query @', (ctx) => ctx.query('@')],
  ['evaluate @', (ctx) => ctx.evaluate(compile('@'))],
  ['evaluateOrMissing @', (ctx) => ctx.evaluateOrMissing(compile('@')) as JsonValue],
  ['query [@]', (ctx) => (ctx.query('[@]') as JsonValue[])[0] as JsonValue],
  ['query {all: @}', (ctx) => (ctx.query('{all: @}') as JsonObject)['all'] as JsonValue],
  ['data', (ctx) => ctx.data],
];

for (const [name, take] of escapes) {
  test(`the root handed out by ${name} is not written afterwards`, () => {
    const ctx = ctxOn(base());
    ctx.set('first', 1); // the context now holds a copy of its own
    const held = take(ctx) as JsonObject;
    const before = JSON.stringify(held);
    ctx.set('self', held);
    ctx.set('second', 2);
    assert.equal(JSON.stringify(held), before);
    assert.equal(ctx.query('self.first'), 1);
    assert.throws(() => ctx.query('self.self'), /Unknown key "self"/);
    assert.equal(ctx.query('second'), 2);
  });
}

test('values found inside the root stay shared and unchanged', () => {
  const root = base();
  const ctx = ctxOn(root);
  const request = ctx.query('request');
  ctx.set('x', 1);
  assert.equal(request, root['request']);
  assert.deepEqual(request, { operation: 'CREATE' });
});
