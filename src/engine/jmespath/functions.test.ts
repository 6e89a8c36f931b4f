// The standard function library (compliance suite "functions" samples), plus go-jmespath's
// error wording for arity and type errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../api/json.js';
import { JmesPathError, search } from './index.js';
import { ctx, fails, ok, runTable } from './table.test-support.js';

describe('standard functions', () => {
  runTable(
    {
      foo: -1,
      zero: 0,
      numbers: [-1, 3, 4, 5],
      array: [-1, 3, 4, 5, 'a', '100'],
      strings: ['a', 'b', 'c'],
      decimals: [1.01, 1.2, -1.5],
      str: 'Str',
      false: false,
      empty_list: [],
      empty_hash: {},
      objects: { foo: 'bar', bar: 'baz' },
      null_key: null,
    },
    [
      ['abs(foo)', ok(1)],
      ['abs(str)', fails('invalid-type')],
      ['abs(`1`, `2`)', fails('invalid-arity')],
      ['abs()', fails('invalid-arity')],
      ['unknown_function(`1`, `2`)', fails('unknown-function')],
      ['avg(numbers)', ok(2.75)],
      ['avg(array)', fails('invalid-type')],
      ['avg(empty_list)', ok(null)],
      ['ceil(`1.2`)', ok(2)],
      ['ceil(decimals[2])', ok(-1)],
      ["ceil('string')", fails('invalid-type')],
      ["contains('abc', 'a')", ok(true)],
      ["contains('abc', 'd')", ok(false)],
      ["contains(`false`, 'd')", fails('invalid-type')],
      ["contains(strings, 'a')", ok(true)],
      ['contains(decimals, `1.01`)', ok(true)],
      ['contains(`[{"a": 1}]`, `{"a": 1}`)', ok(true)],
      ["ends_with(str, 'tr')", ok(true)],
      ["ends_with(str, 'SStr')", ok(false)],
      ['ends_with(str, `0`)', fails('invalid-type')],
      ['floor(`1.2`)', ok(1)],
      ['floor(foo)', ok(-1)],
      ["length('abc')", ok(3)],
      ["length('✓foo')", ok(4)],
      ["length('')", ok(0)],
      ['length(@)', ok(12)],
      ['length(array)', ok(6)],
      ['length(objects)', ok(2)],
      ['length(`false`)', fails('invalid-type')],
      ['length(foo)', fails('invalid-type')],
      ['max(numbers)', ok(5)],
      ['max(decimals)', ok(1.2)],
      ['max(strings)', ok('c')],
      ['max(abc)', fails('invalid-type')],
      ['max(array)', fails('invalid-type')],
      ['max(empty_list)', ok(null)],
      ['merge(`{}`)', ok({})],
      ['merge(`{"a": 1}`, `{"b": 2}`)', ok({ a: 1, b: 2 })],
      ['merge(`{"a": 1, "b": 2}`, `{"a": 2, "c": 3}`, `{"d": 4}`)', ok({ a: 2, b: 2, c: 3, d: 4 })],
      ['merge()', fails('invalid-arity')],
      ['min(numbers)', ok(-1)],
      ['min(decimals)', ok(-1.5)],
      ['min(strings)', ok('a')],
      ["type('abc')", ok('string')],
      ['type(`1.0`)', ok('number')],
      ['type(`false`)', ok('boolean')],
      ['type(`null`)', ok('null')],
      ['type(`[0]`)', ok('array')],
      ['type(@)', ok('object')],
      ['sort(keys(objects))', ok(['bar', 'foo'])],
      ['keys(foo)', fails('invalid-type')],
      ['keys(empty_hash)', ok([])],
      ['sort(values(objects))', ok(['bar', 'baz'])],
      ["join(', ', strings)", ok('a, b, c')],
      ['join(\',\', `["a", 0]`)', fails('invalid-type')],
      ["join('|', decimals[].to_string(@))", ok('1.01|1.2|-1.5')],
      ["join('|', empty_list)", ok('')],
      ['reverse(numbers)', ok([5, 4, 3, -1])],
      ["reverse('hello world')", ok('dlrow olleh')],
      ["reverse('')", ok('')],
      ["starts_with(str, 'St')", ok(true)],
      ["starts_with(str, 'String')", ok(false)],
      ['sum(numbers)', ok(11)],
      ['sum(array[].to_number(@))', ok(111)],
      ['sum(`[]`)', ok(0)],
      ['sum(array)', fails('invalid-type')],
      ["to_array('foo')", ok(['foo'])],
      ['to_array(`[1, 2, 3]`)', ok([1, 2, 3])],
      ["to_string('foo')", ok('foo')],
      ['to_string(`1.2`)', ok('1.2')],
      ['to_string(`[0, 1]`)', ok('[0,1]')],
      ["to_number('1.0')", ok(1)],
      ["to_number('1.1')", ok(1.1)],
      ["to_number('notanumber')", ok(null)],
      ['to_number(`false`)', ok(null)],
      ['sort(numbers)', ok([-1, 3, 4, 5])],
      ['sort(decimals)', ok([-1.5, 1.01, 1.2])],
      ['sort(array)', fails('invalid-type')],
      ['not_null(unknown_key, str)', ok('Str')],
      ['not_null(unknown_key, null_key, empty_list, str)', ok([])],
      ['not_null(all, expressions, are_null)', ok(null)],
      ['not_null()', fails('invalid-arity')],
      ['numbers[].to_string(@)', ok(['-1', '3', '4', '5'])],
      ['array[].to_number(@)', ok([-1, 3, 4, 5, 100])],
    ],
  );
  runTable(
    {
      foo: [
        { b: 'b', a: 'a' },
        { c: 'c', b: 'b' },
        { d: 'd', c: 'c' },
        { f: 'f', e: 'e' },
      ],
    },
    [['foo[].not_null(f, e, d, c, b, a)', ok(['b', 'c', 'd', 'f'])]],
  );
  const people: JsonValue = [
    { age: 20, age_str: '20', bool: true, name: 'a', extra: 'foo' },
    { age: 40, age_str: '40', bool: false, name: 'b', extra: 'bar' },
    { age: 30, age_str: '30', bool: true, name: 'c' },
    { age: 10, age_str: '10', bool: true, name: 3 },
  ];
  runTable({ people, empty: [] }, [
    ['sort_by(people, &age)[].name', ok([3, 'a', 'c', 'b'])],
    ['sort_by(people, &age_str)[].age', ok([10, 20, 30, 40])],
    ['sort_by(people, &to_number(age_str))[].age', ok([10, 20, 30, 40])],
    ['sort_by(people, &extra)', fails('invalid-type')],
    ['sort_by(people, &bool)', fails('invalid-type')],
    ['sort_by(people, &name)', fails('invalid-type')],
    ['sort_by(people, name)', fails('invalid-type')],
    ['sort_by(people, &age)[].extra', ok(['foo', 'bar'])],
    ['sort_by(`[]`, &age)', ok([])],
    ['max_by(people, &age).name', ok('b')],
    ['max_by(people, &age_str).name', ok('b')],
    ['max_by(people, &bool)', fails('invalid-type')],
    ['min_by(people, &age).name', ok(3)],
    ['min_by(people, &to_number(age_str)).age', ok(10)],
    ['min_by(empty, &age)', ok(null)],
    ['map(&age, people)', ok([20, 40, 30, 10])],
    ['map(&extra, people)', ok(['foo', 'bar', null, null])],
    [
      'map(&[], `[[1, 2, [3]], [4, [5, 6]]]`)',
      ok([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ],
    ['map(&foo, empty)', ok([])],
  ]);
  runTable({ a: { y: 1, x: '<b>&' } }, [['to_string(a)', ok('{"x":"\\u003cb\\u003e\\u0026","y":1}')]]);

  it('reports arity and type errors in go-jmespath wording', () => {
    const message = (expression: string): string => {
      try {
        search(expression, { n: null }, { ctx });
      } catch (err) {
        assert.ok(err instanceof JmesPathError);
        return err.message;
      }
      return 'no error';
    };
    assert.equal(
      message('abs(`1`, `2`)'),
      "invalid arity, the function 'abs' expects at most 1 arguments but 2 were supplied",
    );
    assert.equal(
      message('starts_with(`"a"`)'),
      "invalid arity, the function 'starts_with' expects 2 arguments but 1 were supplied",
    );
    assert.equal(
      message('merge()'),
      "invalid arity, the function 'merge' expects 1 argument or more but none were supplied",
    );
    assert.equal(message('abs(n)'), 'invalid type for: <nil>, expected: []jmespath.jpType{"number"}');
    assert.equal(message('nope(@)'), 'unknown function: nope');
  });
});
