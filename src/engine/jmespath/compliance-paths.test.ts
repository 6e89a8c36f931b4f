// Samples of the JMESPath compliance suite (basic, current, escape, identifiers, unicode,
// indices, literal, slice, wildcard). Where the suite expects null for a missing object key,
// Kyverno's dialect raises 'not-found' instead; those rows say so.
import { describe } from 'node:test';
import { fails, ok, runTable } from './table.test-support.js';

describe('compliance: basic', () => {
  runTable({ foo: { bar: { baz: 'correct' } } }, [
    ['foo', ok({ bar: { baz: 'correct' } })],
    ['foo.bar', ok({ baz: 'correct' })],
    ['foo.bar.baz', ok('correct')],
    ['foo\n.\nbar\n.baz', ok('correct')],
    ['foo.bar.baz.bad', ok(null)],
    ['foo.bar.bad', fails('not-found')],
    ['bad.morebad.morebad', fails('not-found')],
  ]);
  runTable(
    ['one', 'two', 'three'],
    [
      ['one', ok(null)],
      ['one.two', ok(null)],
    ],
  );
  runTable({ foo: { '1': ['one', 'two', 'three'], '-1': 'bar' } }, [
    ['foo."1"', ok(['one', 'two', 'three'])],
    ['foo."1"[0]', ok('one')],
    ['foo."-1"', ok('bar')],
  ]);
});

describe('compliance: current node', () => {
  const given = { foo: [{ name: 'a' }, { name: 'b' }], bar: { baz: 'qux' } };
  runTable(given, [
    ['@', ok(given)],
    ['@.bar', ok({ baz: 'qux' })],
    ['@.foo[0]', ok({ name: 'a' })],
  ]);
});

describe('compliance: escape', () => {
  runTable(
    {
      'foo.bar': 'dot',
      'foo bar': 'space',
      'foo\nbar': 'newline',
      'foo"bar': 'doublequote',
      'c:\\\\windows\\path': 'windows',
      '/unix/path': 'unix',
      '"""': 'threequotes',
      bar: { baz: 'qux' },
    },
    [
      ['"foo.bar"', ok('dot')],
      ['"foo bar"', ok('space')],
      ['"foo\\nbar"', ok('newline')],
      ['"foo\\"bar"', ok('doublequote')],
      ['"c:\\\\\\\\windows\\\\path"', ok('windows')],
      ['"/unix/path"', ok('unix')],
      ['"\\"\\"\\""', ok('threequotes')],
      ['"bar"."baz"', ok('qux')],
    ],
  );
});

describe('compliance: identifiers and unicode', () => {
  runTable({ __L: true, _underscore: 1, A1b2: 2 }, [
    ['__L', ok(true)],
    ['_underscore', ok(1)],
    ['A1b2', ok(2)],
  ]);
  runTable({ foo: [{ '✓': '✓' }, { '✓': '✗' }] }, [['foo[]."✓"', ok(['✓', '✗'])]]);
  runTable({ '☯': true }, [['"☯"', ok(true)]]);
  runTable({ '♪♫•*¨*•.¸¸❤¸¸.•*¨*•♫♪': true }, [['"♪♫•*¨*•.¸¸❤¸¸.•*¨*•♫♪"', ok(true)]]);
});

describe('compliance: indices', () => {
  runTable({ foo: { bar: ['zero', 'one', 'two'] } }, [
    ['foo.bar[0]', ok('zero')],
    ['foo.bar[2]', ok('two')],
    ['foo.bar[3]', ok(null)],
    ['foo.bar[-1]', ok('two')],
    ['foo.bar[-3]', ok('zero')],
    ['foo.bar[-4]', ok(null)],
  ]);
  runTable({ foo: [{ bar: 'one' }, { bar: 'two' }, { bar: 'three' }, { notbar: 'four' }] }, [
    ['foo.bar', ok(null)],
    ['foo[0].bar', ok('one')],
    ['foo[3].notbar', ok('four')],
    ['foo[3].bar', fails('not-found')],
    ['[0]', ok(null)],
  ]);
  runTable(
    { reservations: [{ instances: [{ foo: 'bar' }, { foo: 'baz' }] }, { instances: [{ foo: 'qux' }] }] },
    [
      ['reservations[].instances[].foo', ok(['bar', 'baz', 'qux'])],
      ['reservations[].instances[]', ok([{ foo: 'bar' }, { foo: 'baz' }, { foo: 'qux' }])],
      ['reservations[].notinstances[].foo', ok([])],
      ['reservations[*].instances[*].foo', ok([['bar', 'baz'], ['qux']])],
    ],
  );
  runTable({ foo: [[1, 2], [3, [4, 5]], 6] }, [
    ['foo[]', ok([1, 2, 3, [4, 5], 6])],
    ['foo[][]', ok([1, 2, 3, 4, 5, 6])],
  ]);
});

describe('compliance: literals and raw strings', () => {
  runTable({ foo: [{ name: 'a' }, { name: 'b' }], bar: { baz: 'qux' } }, [
    ['`"foo"`', ok('foo')],
    ['`"\\u03a6"`', ok('Φ')],
    ['`"✓"`', ok('✓')],
    ['`[1, 2, 3]`', ok([1, 2, 3])],
    ['`{"a": "b"}`', ok({ a: 'b' })],
    ['`true`', ok(true)],
    ['`null`', ok(null)],
    ['`-1.5`', ok(-1.5)],
    ['`  {"foo": true}`', ok({ foo: true })],
    ['`{"foo": true}   `', ok({ foo: true })],
    ['`"foo\\`bar"`', ok('foo`bar')],
    ['`{"a": {"b": "c"}}`.a.b', ok('c')],
    ["'foo'", ok('foo')],
    ["'  foo  '", ok('  foo  ')],
    ["'0'", ok('0')],
    ["'\\''", ok("'")],
    ["'\\u03a6'", ok('\\u03a6')],
    ["'\\\\'", ok('\\\\')],
    ['`{"foo": "bar"}` | foo', ok('bar')],
  ]);
});

describe('compliance: slices', () => {
  runTable({ foo: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], bar: { baz: 1 } }, [
    ['bar[0:10]', ok(null)],
    ['foo[0:10:1]', ok([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['foo[:]', ok([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['foo[1:9]', ok([1, 2, 3, 4, 5, 6, 7, 8])],
    ['foo[0:10:2]', ok([0, 2, 4, 6, 8])],
    ['foo[5:]', ok([5, 6, 7, 8, 9])],
    ['foo[5::2]', ok([5, 7, 9])],
    ['foo[::-1]', ok([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])],
    ['foo[10:0:-1]', ok([9, 8, 7, 6, 5, 4, 3, 2, 1])],
    ['foo[8:2:-2]', ok([8, 6, 4])],
    ['foo[0:20]', ok([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['foo[10:-20:-1]', ok([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])],
    ['foo[10:-20]', ok([])],
    ['foo[-4:-1]', ok([6, 7, 8])],
    ['foo[:-5:-1]', ok([9, 8, 7, 6])],
    ['foo[8:2:0]', fails('invalid-value')],
    ['foo[8:2:0:1]', fails('syntax')],
    ['foo[8:2&]', fails('syntax')],
    ['foo[2:a:3]', fails('syntax')],
  ]);
  runTable(
    {
      foo: [{ a: 1 }, { a: 2 }, { a: 3 }],
      bar: [{ a: { b: 1 } }, { a: { b: 2 } }, { a: { b: 3 } }],
      baz: 50,
    },
    [
      ['foo[:2].a', ok([1, 2])],
      ['foo[:2].b', ok([])],
      ['foo[:2].a.b', ok([])],
      ['bar[::-1].a.b', ok([3, 2, 1])],
      ['baz[:2].a', ok(null)],
    ],
  );
});

describe('compliance: wildcards', () => {
  runTable(
    {
      foo: {
        bar: { baz: 'val' },
        other: { baz: 'val' },
        other2: { baz: 'val' },
        other3: { notbaz: ['a', 'b', 'c'] },
        other4: { notbaz: ['a', 'b', 'c'] },
      },
    },
    [
      ['foo.*.baz', ok(['val', 'val', 'val'])],
      ['foo.bar.*', ok(['val'])],
      [
        'foo.*.notbaz',
        ok([
          ['a', 'b', 'c'],
          ['a', 'b', 'c'],
        ]),
      ],
      ['foo.*.notbaz[0]', ok(['a', 'a'])],
      ['foo.*.notbaz[-1]', ok(['c', 'c'])],
    ],
  );
  runTable({ top1: { sub1: { foo: 'one' } }, top2: { sub1: { foo: 'one' } } }, [
    ['*', ok([{ sub1: { foo: 'one' } }, { sub1: { foo: 'one' } }])],
    ['*.sub1', ok([{ foo: 'one' }, { foo: 'one' }])],
    ['*.*', ok([[{ foo: 'one' }], [{ foo: 'one' }]])],
    ['*.*.foo[]', ok(['one', 'one'])],
    ['*.sub1.foo', ok(['one', 'one'])],
  ]);
  runTable(
    [{ bar: 'one' }, { bar: 'two' }, { bar: 'three' }, { notbar: 'four' }],
    [
      ['[*].bar', ok(['one', 'two', 'three'])],
      ['[*].notbar', ok(['four'])],
    ],
  );
  runTable(
    {
      foo: [
        [
          ['one', 'two'],
          ['three', 'four'],
        ],
        [
          ['five', 'six'],
          ['seven', 'eight'],
        ],
        [['nine'], ['ten']],
      ],
    },
    [
      ['foo[*][0]', ok([['one', 'two'], ['five', 'six'], ['nine']])],
      ['foo[*][1][0]', ok(['three', 'seven', 'ten'])],
      ['foo[*][0][1]', ok(['two', 'six'])],
      ['foo[*][2]', ok([])],
      ['bar[*]', fails('not-found')],
    ],
  );
  runTable({ string: 'string', hash: { foo: 'bar', bar: 'baz' }, number: 23, nullvalue: null }, [
    ['string[*]', ok(null)],
    ['hash[*]', ok(null)],
    ['nullvalue[*].foo[*].bar', ok(null)],
    ['string.*', ok(null)],
    ['hash.*', ok(['bar', 'baz'])],
    ['nullvalue.*', ok(null)],
  ]);
  runTable({ a: [0, 1, 2], b: [0, 1, 2] }, [['*[0]', ok([0, 0])]]);
});
