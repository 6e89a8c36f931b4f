import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { EvalContext } from '../variables/context.js';
import { compile, search } from './index.js';
import { kyvernoFunctions } from './kyverno/index.js';
import { parse } from './parser.js';
import { readsOnlyRequest } from './request-only.js';

test('readsOnlyRequest: request paths, literals and pure functions of them only', () => {
  const cases: [string, boolean][] = [
    ['request.object.metadata.name', true],
    ["split(request.object.metadata.annotations.\"a/b\", ',')", true],
    ["request.object.metadata.labels.env || ''", true],
    ['to_number(request.object.metadata.labels.replicas || `1`)', true],
    ['request.object.spec.containers[].image', true],
    ['length(request.object.spec.containers[?name == `x`])', true],
    ['element', false],
    ['to_upper(element)', false],
    ['keys(@)', false],
    ['*', false],
    ["join('-', [request.name, team])", false],
    ['random(`[a-z]{4}`)', false],
    ['time_now_utc()', false],
    ['sort_by(request.object.items, &name)', false],
  ];
  for (const [expr, want] of cases) assert.equal(readsOnlyRequest(parse(expr)), want, expr);
});

const fns = { now: () => 0, random: () => 0.5 };

function contextOn(root: JsonObject): EvalContext {
  return new EvalContext(root, fns, kyvernoFunctions);
}

test('a kept value is the value of this request: another request object is evaluated afresh', () => {
  const expr = "split(request.object.metadata.annotations.envs || '', ',')";
  const a: JsonObject = { request: { object: { metadata: { annotations: { envs: 'dev,prod' } } } } };
  const b: JsonObject = { request: { object: { metadata: { annotations: { envs: 'qa' } } } } };
  const compiled = compile(expr);
  for (const root of [a, a, b, a, b, b]) {
    const want = search(expr, root, { functions: kyvernoFunctions, ctx: fns });
    assert.deepEqual(contextOn(root).evaluate(compiled), want);
  }
});

test('a kept list is handed out as a copy, so a caller cannot change what the next one gets', () => {
  const root: JsonObject = { request: { object: { metadata: { annotations: { envs: 'dev,prod' } } } } };
  const compiled = compile("split(request.object.metadata.annotations.envs, ',')");
  const first = contextOn(root).evaluate(compiled) as JsonValue[];
  first.push('changed');
  const second = contextOn(root).evaluate(compiled) as JsonValue[];
  second[0] = 'changed';
  assert.deepEqual(contextOn(root).evaluate(compiled), ['dev', 'prod']);
});

test('a context that sets something below request sees its own value', () => {
  const root: JsonObject = { request: { namespace: 'a' } };
  const compiled = compile("to_upper(request.namespace || '')");
  assert.equal(contextOn(root).evaluate(compiled), 'A');
  const ctx = contextOn(root);
  ctx.set('request.namespace', 'b');
  assert.equal(ctx.evaluate(compiled), 'B');
  assert.equal(contextOn(root).evaluate(compiled), 'A');
});
