import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitOn } from './strings.js';

test('splitOn splits like strings.Split (and String#split) for non-empty separators', () => {
  const cases: [string, string][] = [
    ['dev,skip-this,prod', ','],
    ['', ','],
    [',', ','],
    [',,a,,', ','],
    ['abc', ','],
    ['a::b::::c', '::'],
    ['aaa', 'aa'],
    ['x😀y😀', '😀'],
    ['no separator here', 'zz'],
  ];
  for (const [s, sep] of cases) assert.deepEqual(splitOn(s, sep), s.split(sep), `${s} / ${sep}`);
});
