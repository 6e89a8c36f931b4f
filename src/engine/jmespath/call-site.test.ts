// Call sites remember their function and argument checks, and missing keys travel as values: both
// must give what a fresh evaluation gives, every time, whatever the data and the function table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../api/json.js';
import { compile, MissingKey, search, standardFunctions } from './index.js';
import type { FunctionSpec } from './types.js';

const ctx = { now: () => 0, random: () => 0.5 };

function outcome(expression: string, data: JsonValue, functions?: ReadonlyMap<string, FunctionSpec>): unknown {
  try {
    return { value: search(expression, data, { ctx, functions }) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

// The same expression against data of changing types: type errors must not be remembered.
const sequences: [string, JsonValue[], unknown[]][] = [
  [
    'length(a)',
    [{ a: 'abc' }, { a: 3 }, { a: [1, 2] }, {}, { a: { x: 1 } }],
    [
      { value: 3 },
      { error: 'invalid type for: 3, expected: []jmespath.jpType{"string", "array", "object"}' },
      { value: 2 },
      { error: 'invalid type for: <nil>, expected: []jmespath.jpType{"string", "array", "object"}' },
      { value: 1 },
    ],
  ],
  [
    'abs(a)',
    [{ a: -2 }, { a: 'x' }, { a: 5 }],
    [{ value: 2 }, { error: 'invalid type for: x, expected: []jmespath.jpType{"number"}' }, { value: 5 }],
  ],
  [
    'not_null(a, b, `3`)',
    [{ a: 1 }, { b: 2 }, {}],
    [{ value: 1 }, { value: 2 }, { value: 3 }],
  ],
  [
    'abs(a, b)',
    [{ a: 1 }, { a: 1 }],
    [
      { error: "invalid arity, the function 'abs' expects at most 1 arguments but 2 were supplied" },
      { error: "invalid arity, the function 'abs' expects at most 1 arguments but 2 were supplied" },
    ],
  ],
  ['to_string(&a)', [{}, {}], [
    { error: 'invalid type for: {expref}, expected: []jmespath.jpType{"any"}' },
    { error: 'invalid type for: {expref}, expected: []jmespath.jpType{"any"}' },
  ]],
];

for (const [expression, data, expected] of sequences) {
  test(`${expression}: every call checks its own arguments`, () => {
    assert.deepEqual(
      data.map((d) => outcome(expression, d)),
      expected,
    );
  });
}

test('one call site serves different function tables', () => {
  const shout: FunctionSpec = { name: 'length', args: [{ types: ['any'] }], call: () => 'custom' };
  const custom = new Map([['length', shout]]);
  const data = { a: 'abc' };
  assert.deepEqual(outcome('length(a)', data), { value: 3 });
  assert.deepEqual(outcome('length(a)', data, custom), { value: 'custom' });
  assert.deepEqual(outcome('length(a)', data, standardFunctions), { value: 3 });
  assert.deepEqual(outcome('nope(a)', data), { error: 'unknown function: nope' });
  assert.deepEqual(outcome('nope(a)', data, new Map([['nope', shout]])), { value: 'custom' });
});

// Missing keys: null where Kyverno's dialect swallows them, the 'not-found' error elsewhere.
const missing: [string, JsonValue, unknown][] = [
  ['a.b', { a: {} }, { error: 'Unknown key "b" in path' }],
  ['a.b.c', { a: {} }, { error: 'Unknown key "b" in path' }],
  ['a.b || `"x"`', { a: {} }, { value: 'x' }],
  ['a.b && `1`', { a: {} }, { value: null }],
  ['!(a.b)', { a: {} }, { value: true }],
  ['!a.b', { a: {} }, { value: null }],
  ['a.b | c', { a: {} }, { error: 'Unknown key "b" in path' }],
  ['a | b', { a: {} }, { error: 'Unknown key "b" in path' }],
  ['a.b[*].c', { a: {} }, { error: 'Unknown key "b" in path' }],
  ['a[*].c', { a: [{ c: 1 }, {}, { c: 2 }] }, { value: [1, 2] }],
  ['a.b[]', { a: {} }, { value: null }],
  ['a.b[?c]', { a: {} }, { value: null }],
  ['a.b.*', { a: {} }, { value: null }],
  ['[a.b, a]', { a: {} }, { value: [null, {}] }],
  ['{x: a.b}', { a: {} }, { value: { x: null } }],
  ['to_string(a.b)', { a: {} }, { value: 'null' }],
  ['a.b == `null`', { a: {} }, { value: true }],
  ['a[0].b', { a: [{}] }, { error: 'Unknown key "b" in path' }],
  ['a.b', { a: 'text' }, { value: null }],
];

for (const [expression, data, expected] of missing) {
  test(`missing key: ${expression}`, () => {
    assert.deepEqual(outcome(expression, data), expected);
  });
}

test('evaluateOrMissing returns the missing key instead of throwing it', () => {
  const opts = { ctx };
  for (const expression of ['a.b', 'a.b | c', 'a | x', 'a.b[*].c']) {
    const c = compile(expression);
    const got = c.evaluateOrMissing({ a: {} }, opts);
    assert.ok(got instanceof MissingKey, expression);
    assert.throws(() => c.evaluate({ a: {} }, opts), (e: Error) => e === got.error);
  }
  assert.deepEqual(compile('a').evaluateOrMissing({ a: [1] }, opts), [1]);
  assert.equal(compile('a.b || `2`').evaluateOrMissing({ a: {} }, opts), 2);
});

test('mayReturnInput is set exactly for expressions with @', () => {
  const table: [string, boolean][] = [
    ['a.b', false],
    ['to_upper(a)', false],
    ['a[*].b', false],
    ['*', true], // conservative: the parser's implicit @ on the left of a projection counts too
    ['@', true],
    ['[@]', true],
    ['{x: @}', true],
    ['a[?@ == `1`]', true],
    ['sort_by(a, &@)', true],
    ['not_null(b, @)', true],
  ];
  for (const [expression, expected] of table) assert.equal(compile(expression).mayReturnInput, expected, expression);
});
