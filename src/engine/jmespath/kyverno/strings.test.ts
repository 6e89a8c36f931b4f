import { test } from 'node:test';
import assert from 'node:assert/strict';
import { search } from '../index.js';
import { kyvernoFunctions } from './index.js';
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

test('to_upper and to_lower give the same results when asked again (memoised by text)', () => {
  const rt = { functions: kyvernoFunctions, ctx: { now: () => 0, random: () => 0.5 } };
  const long = `${'ab'.repeat(200)}ß`;
  // [input, to_upper, to_lower]: Go maps rune by rune and keeps runes whose mapping changes length.
  const cases: [string, string, string][] = [
    ['dev', 'DEV', 'dev'],
    ['Prod', 'PROD', 'prod'],
    ['skip-this', 'SKIP-THIS', 'skip-this'],
    ['straße', 'STRAßE', 'straße'],
    ['ÀÉ', 'ÀÉ', 'àé'],
    ['', '', ''],
    [long, `${'AB'.repeat(200)}ß`, long],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [input, upper, lower] of cases) {
      const data = { s: input };
      assert.equal(search('to_upper(s)', data, rt), upper, `to_upper ${input.slice(0, 10)} (round ${round})`);
      assert.equal(search('to_lower(s)', data, rt), lower, `to_lower ${input.slice(0, 10)} (round ${round})`);
    }
  }
});
