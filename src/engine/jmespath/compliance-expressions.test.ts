// Samples of the JMESPath compliance suite: boolean, filters, multiselect, pipe and syntax.
import { describe } from 'node:test';
import type { Row } from './table.test-support.js';
import { fails, ok, runTable } from './table.test-support.js';

describe('compliance: boolean', () => {
  runTable({ outer: { foo: 'foo', bar: 'bar', baz: 'baz' } }, [
    ['outer.foo || outer.bar', ok('foo')],
    ['outer.foo||outer.bar', ok('foo')],
    ['outer.bad || outer.foo', ok('foo')],
    ['outer.foo || outer.bad', ok('foo')],
    ['outer.bad || outer.alsobad', ok(null)],
  ]);
  runTable({ outer: { foo: 'foo', bool: false, empty_list: [], empty_string: '' } }, [
    ['outer.empty_string || outer.foo', ok('foo')],
    ['outer.nokey || outer.bool || outer.empty_list || outer.empty_string || outer.foo', ok('foo')],
  ]);
  runTable({ True: true, False: false, Number: 5, EmptyList: [], Zero: 0 }, [
    ['True && False', ok(false)],
    ['True && Number', ok(5)],
    ['Number && EmptyList', ok([])],
    ['EmptyList && True', ok([])],
    ['False || False', ok(false)],
    ['Number || EmptyList', ok(5)],
    ['Number || True && False', ok(5)],
    ['(Number || True) && False', ok(false)],
    ['!True', ok(false)],
    ['!EmptyList', ok(true)],
    ['True && !EmptyList', ok(true)],
    ['!(True && False)', ok(true)],
    ['!Zero', ok(false)],
    ['!!Zero', ok(true)],
    ['Zero || Number', ok(0)],
  ]);
  runTable({ one: 1, two: 2, three: 3, emptylist: [], boolvalue: false }, [
    ['one < two', ok(true)],
    ['one <= two', ok(true)],
    ['one == one', ok(true)],
    ['one == two', ok(false)],
    ['one > two', ok(false)],
    ['one >= two', ok(false)],
    ['one != two', ok(true)],
    ['emptylist < one', ok(null)],
    ['emptylist < nullvalue', ok(null)],
    ['one < boolvalue', ok(null)],
    ['one < two && three > one', ok(true)],
    ['two < one || three < one', ok(false)],
  ]);
});

describe('compliance: filters', () => {
  runTable({ foo: [{ name: 'a' }, { name: 'b' }] }, [["foo[?name == 'a']", ok([{ name: 'a' }])]]);
  runTable({ foo: [0, 1], bar: [2, 3] }, [['*[?[0] == `0`]', ok([[], []])]]);
  runTable(
    {
      foo: [
        { first: 'foo', last: 'bar' },
        { first: 'foo', last: 'foo' },
        { first: 'foo', last: 'baz' },
      ],
    },
    [
      ['foo[?first == last]', ok([{ first: 'foo', last: 'foo' }])],
      ['foo[?first == last].first', ok(['foo'])],
    ],
  );
  runTable({ foo: [{ age: 20 }, { age: 25 }, { age: 30 }] }, [
    ['foo[?age > `25`]', ok([{ age: 30 }])],
    ['foo[?age >= `25`]', ok([{ age: 25 }, { age: 30 }])],
    ['foo[?age < `20`]', ok([])],
    ['foo[?age != `20`]', ok([{ age: 25 }, { age: 30 }])],
  ]);
  runTable({ foo: [{ top: { first: 'foo', last: 'bar' } }, { top: { first: 'foo', last: 'foo' } }] }, [
    ['foo[?top.first == top.last]', ok([{ top: { first: 'foo', last: 'foo' } }])],
    ['foo[?top == `{"first": "foo", "last": "bar"}`]', ok([{ top: { first: 'foo', last: 'bar' } }])],
  ]);
  runTable(
    { foo: [{ key: true }, { key: false }, { key: 0 }, { key: [0] }, { key: { bar: [0] } }, { key: null }] },
    [
      ['foo[?key == `true`]', ok([{ key: true }])],
      ['foo[?key == `0`]', ok([{ key: 0 }])],
      ['foo[?key == `[0]`]', ok([{ key: [0] }])],
      ['foo[?key == `{"bar": [0]}`]', ok([{ key: { bar: [0] } }])],
      ['foo[?key == `null`]', ok([{ key: null }])],
      ['foo[?`true` == key]', ok([{ key: true }])],
    ],
  );
  runTable(
    {
      reservations: [
        {
          instances: [
            { foo: 1, bar: 2 },
            { foo: 1, bar: 3 },
            { foo: 2, bar: 1 },
          ],
        },
      ],
    },
    [
      ['reservations[].instances[?bar==`1`]', ok([[{ foo: 2, bar: 1 }]])],
      ['reservations[].instances[?bar==`1`][]', ok([{ foo: 2, bar: 1 }])],
    ],
  );
  runTable(
    {
      foo: [
        { a: 1, b: { c: 'x' } },
        { a: 1, b: { c: 'y' } },
        { a: 2, b: { c: 'z' } },
        { a: 1, baz: 2 },
      ],
    },
    [['foo[?a==`1`].b.c', ok(['x', 'y'])]],
  );
  runTable(
    {
      foo: [
        { a: 1, b: 2, c: 3 },
        { a: 3, b: 4 },
      ],
    },
    [
      ['foo[?c == `3` || a == `1` && b == `4`]', ok([{ a: 1, b: 2, c: 3 }])],
      [
        'foo[?b == `2` || a == `3` && b == `4`]',
        ok([
          { a: 1, b: 2, c: 3 },
          { a: 3, b: 4 },
        ]),
      ],
      ['foo[?a == `3` && (b == `4` || b == `2`)]', ok([{ a: 3, b: 4 }])],
      ['foo[?!(a == `1` || b ==`2`)]', ok([{ a: 3, b: 4 }])],
    ],
  );
  runTable(
    {
      foo: [
        { key: true },
        { key: [] },
        { key: {} },
        { key: [0] },
        { key: 0 },
        { key: null },
        { notkey: true },
      ],
    },
    [
      ['foo[?key]', ok([{ key: true }, { key: [0] }, { key: 0 }])],
      ['foo[?!key]', ok([{ key: [] }, { key: {} }, { key: null }, { notkey: true }])],
      ['foo[?key == `null`]', ok([{ key: null }, { notkey: true }])],
    ],
  );
  runTable({ foo: [1, 2, 3, 4, 5, 6] }, [['foo[?@ > `3`]', ok([4, 5, 6])]]);
});

describe('compliance: multiselect', () => {
  runTable(
    {
      foo: {
        bar: 'bar',
        baz: 'baz',
        qux: 'qux',
        nested: { one: { a: 'first', b: 'second' }, two: { a: 'first', b: 'second' } },
      },
      bar: 1,
      baz: 2,
      'qux"': 3,
    },
    [
      ['foo.{bar: bar}', ok({ bar: 'bar' })],
      ['foo.{"foo.bar": bar}', ok({ 'foo.bar': 'bar' })],
      ['foo.{bar: bar, baz: baz}', ok({ bar: 'bar', baz: 'baz' })],
      ['{"baz": baz, "qux\\"": "qux\\""}', ok({ baz: 2, 'qux"': 3 })],
      ['foo.{bar: bar, noexist: noexist}', ok({ bar: 'bar', noexist: null })],
      [
        'foo.nested.*.{a: a,b: b}',
        ok([
          { a: 'first', b: 'second' },
          { a: 'first', b: 'second' },
        ]),
      ],
      ['{no: no, exist: exist}', ok({ no: null, exist: null })],
      ['foo.[bar,baz]', ok(['bar', 'baz'])],
      ['foo.[bar,noexist]', ok(['bar', null])],
      ['foo.badkey.{nokey: nokey}', fails('not-found')],
    ],
  );
  runTable({ foo: { bar: 1, baz: [2, 3, 4] } }, [
    ['foo.[bar,baz[0]]', ok([1, 2])],
    ['foo.[bar,baz[3]]', ok([1, null])],
    ['foo.[bar[0],baz[3]]', ok([null, null])],
  ]);
  runTable(
    {
      reservations: [
        {
          instances: [
            { id: 'id1', name: 'first' },
            { id: 'id2', name: 'second' },
          ],
        },
        { instances: [{ id: 'id3', name: 'third' }] },
      ],
    },
    [
      [
        'reservations[*].instances[*].{id: id, name: name}',
        ok([
          [
            { id: 'id1', name: 'first' },
            { id: 'id2', name: 'second' },
          ],
          [{ id: 'id3', name: 'third' }],
        ]),
      ],
      [
        'reservations[].instances[].[id, name]',
        ok([
          ['id1', 'first'],
          ['id2', 'second'],
          ['id3', 'third'],
        ]),
      ],
    ],
  );
  runTable({ type: 'object' }, [
    ['*.["0"]', ok([[null]])],
    ['{"\\\\":{" ":*}}', ok({ '\\': { ' ': ['object'] } })],
  ]);
});

describe('compliance: pipe', () => {
  runTable({ foo: { bar: { baz: 'one' }, other: { baz: 'two' }, other3: { notbaz: ['a', 'b'] } } }, [
    ['foo.*.baz | [0]', ok('one')],
    ['foo.*.baz | [1]', ok('two')],
    ['foo | bar | baz', ok('one')],
    ['foo|bar| baz', ok('one')],
    ['foo.*.notbaz | [*]', ok([['a', 'b']])],
    ['[foo.bar, foo.other] | [0]', ok({ baz: 'one' })],
    ['{"a": foo.bar, "b": foo.other} | b', ok({ baz: 'two' })],
    ['foo.bam || foo.bar | baz', ok('one')],
    ['foo | not_there || bar', ok({ baz: 'one' })],
    ['not_there | [0]', fails('not-found')],
  ]);
});

describe('compliance: syntax errors', () => {
  runTable({ type: 'object' }, [
    ...[
      'foo.1',
      'foo.-11',
      'foo.',
      '.foo',
      'foo..bar',
      'foo.bar.',
      'foo[.]',
      '.',
      ':',
      ',',
      ']',
      '[',
      '}',
      '{',
      ')',
      '(',
      'a[',
      'a]',
      'a][',
      '.*',
      '*foo',
      '*0',
      'foo[*]bar',
      'foo[*]*',
      '*.[0]',
      'foo[#]',
      'foo[0, 1]',
      'foo.[0]',
      'foo[0, ]',
      'foo[0,',
      'foo.[a',
      'foo[abc]',
      'foo.[abc, ]',
      'a{}',
      'a{foo}',
      'a{foo:',
      'a.{}',
      'a.{foo}',
      'a.{foo: bar, }',
      'foo ||',
      'foo.|| bar',
      ' || foo',
      'foo || || foo',
      '"foo',
      'foo[ ?bar==`"baz"`]',
      'foo[?bar==]',
      'foo[?==bar]',
      'foo[?bar==baz?]',
      'foo[?bar<>baz]',
      'foo[bar==baz]',
      'foo[?bar==`["foo`bar"]`]',
      'bar.`"anything"`',
      'foo[*].`"literal"`',
      '"to_string"(`1`)',
      '',
      'foo = bar',
      'foo(',
      'foo(a,)',
      'foo(,a)',
      'foo[?bar',
      "'unclosed",
      '`unclosed',
    ].map((expression): Row => [expression, fails('syntax')]),
    ['*', ok(['object'])],
    ['*.*', ok([])],
    ['[]', ok(null)],
    ['[*]', ok(null)],
    ['foo.[*]', fails('not-found')],
    ['*||*|*|*', ok(null)],
    ['[?"\\\\">`"foo"`]', ok(null)],
  ]);
  runTable(
    [],
    [
      ['*[]||[*]', ok([])],
      ['[*.*]', ok([null])],
    ],
  );
});
