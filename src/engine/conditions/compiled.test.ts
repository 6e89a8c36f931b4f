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
  {
    name: 'v1 list passing, messages joined',
    conditions: [
      { key: '{{ team }}', operator: 'Equals', value: 'blue', message: 'is blue' },
      { key: '{{ n }}', operator: 'Equals', value: 3 },
      { key: '{{ team }}', operator: 'NotEquals', value: 'r*', message: 'not r' },
    ],
  },
  {
    name: 'v1 list failing on an unmessaged condition',
    conditions: [
      { key: '{{ team }}', operator: 'Equals', value: 'blue', message: 'is blue' },
      { key: '{{ n }}', operator: 'Equals', value: '4' },
    ],
  },
  {
    name: 'any passes on its second condition, all passes',
    conditions: {
      any: [
        { key: '{{ team }}', operator: 'Equals', value: 'red', message: 'red' },
        { key: '{{ team }}', operator: 'Equals', value: 'bl*', message: 'blue-ish' },
        { key: '{{ team }}', operator: 'Equals', value: 'blue', message: 'never reached' },
      ],
      all: [
        { key: '{{ n }}', operator: 'LessThan', value: 5, message: 'small' },
        { key: '{{ team }}', operator: 'NotEquals', value: 'green' },
      ],
    },
  },
  {
    name: 'any passes, all fails',
    conditions: {
      any: [
        { key: '{{ team }}', operator: 'Equals', value: 'red', message: 'red' },
        { key: '{{ team }}', operator: 'Equals', value: 'blue', message: 'blue' },
      ],
      all: [
        { key: '{{ n }}', operator: 'LessThan', value: 5, message: 'small' },
        { key: '{{ team }}', operator: 'Equals', value: 'green', message: 'green' },
      ],
    },
  },
  {
    name: 'any fails, all passes',
    conditions: {
      any: [
        { key: '{{ team }}', operator: 'Equals', value: 'red', message: 'red' },
        { key: '{{ team }}', operator: 'Equals', value: 'green' },
        { key: '{{ team }}', operator: 'Equals', value: 'pink', message: 'pink' },
      ],
      all: [{ key: '{{ n }}', operator: 'LessThan', value: 5, message: 'small' }],
    },
  },
  {
    name: 'silent block failing and passing',
    conditions: {
      any: [{ key: '{{ team }}', operator: 'NotEquals', value: 'blue' }],
      all: [{ key: '{{ team }}', operator: 'Equals', value: 'blue' }],
    },
  },
  { name: 'silent all passing', conditions: { all: [{ key: '{{ team }}', operator: 'Equals', value: 'b*' }] } },
  { name: 'empty v1 list', conditions: [] },
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
