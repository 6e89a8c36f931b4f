import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyAllConditions, Preconditions } from '../../api/policy.js';
import { EvalContext } from '../variables/context.js';
import { substituteAll } from '../variables/substitute.js';
import { compileConditions, evaluateCompiledConditions } from './compiled.js';
import { evaluateConditions } from './evaluate.js';

const ctx = (): EvalContext =>
  new EvalContext({ team: 'blue', n: 3, list: ['a', 'b'] }, { now: () => 0, random: () => 0.5 }, new Map());

const cases: { name: string; conditions: Preconditions | AnyAllConditions | undefined }[] = [
  { name: 'absent', conditions: undefined },
  {
    name: 'any passes',
    conditions: { any: [{ key: '{{ team }}', operator: 'AnyIn', value: ['red', 'blue'], message: 'm1' }] },
  },
  { name: 'empty any fails', conditions: { any: [] } },
  {
    name: 'all stops at first failure',
    conditions: {
      all: [
        { key: '{{ n }}', operator: 'GreaterThan', value: 1, message: 'ok' },
        { key: '{{ team }}', operator: 'equals', value: 'red', message: 'not red' },
        { key: '{{ missing }}', operator: 'Equals', value: 'x' },
      ],
    },
  },
  {
    name: 'v1 list',
    conditions: [{ key: '{{ list }}', operator: 'AllIn', value: ['a', 'b', 'c'], message: 'x' }],
  },
];

test('compiled conditions decide and explain exactly like evaluateConditions', () => {
  for (const c of cases) {
    const want = evaluateConditions(c.conditions, (v) => substituteAll(v, ctx(), { path: '/preconditions' }));
    const got = evaluateCompiledConditions(compileConditions(c.conditions), ctx(), {
      path: '/preconditions',
    });
    assert.deepEqual(got, want, c.name);
  }
});

test('an unknown operator and an unresolvable variable throw the same errors', () => {
  const unknown = { all: [{ key: 'a', operator: 'Bogus', value: 'a' }] };
  const missing = { all: [{ key: '{{ missing }}', operator: 'Equals', value: 'a' }] };
  for (const conditions of [unknown, missing]) {
    let want: unknown;
    try {
      evaluateConditions(conditions, (v) => substituteAll(v, ctx(), { path: '/preconditions' }));
    } catch (e) {
      want = e;
    }
    assert.ok(want instanceof Error);
    assert.throws(
      () => evaluateCompiledConditions(compileConditions(conditions), ctx(), { path: '/preconditions' }),
      (e: unknown) => e instanceof Error && e.constructor === want.constructor && e.message === want.message,
    );
  }
});
