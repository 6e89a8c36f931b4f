import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../api/json.js';
import { compileValuePattern, matchesValuePattern } from './value-pattern.js';

// [value, pattern, expected] — Kyverno's documented operators and wildcards.
const cases: [JsonValue | undefined, JsonValue, boolean][] = [
  ['nginx:1.2', '*:*', true],
  ['nginx', '*:*', false],
  ['nginx:latest', '!*:latest', false],
  ['nginx:1.2', '!*:latest', true],
  ['', '?*', false],
  ['x', '?*', true],
  [undefined, '?*', false],
  [5, '>3', true],
  [2, '>3', false],
  [3, '>=3', true],
  [3, '<3', false],
  [2, '<=3', true],
  ['5', '>3', true],
  [0, '>0', false],
  [1, '>0', true],
  ['200Mi', '<1Gi', true],
  ['2Gi', '<1Gi', false],
  ['500m', '>=0.5', true],
  ['90m', '<2h', true],
  ['3h', '<2h', false],
  [4, '1-5', true],
  [6, '1-5', false],
  [6, '1!-5', true],
  [3, '1!-5', false],
  ['b', 'a | b', true],
  ['c', 'a | b', false],
  [4, '>1 & <5', true],
  [5, '>1 & <5', false],
  [7, 7, true],
  ['7', 7, true],
  [7.5, 7, false],
  [1.5, 1.5, true],
  [true, true, true],
  ['true', true, false],
  ['true', 'true', true],
  [false, 'false', true],
  [null, null, true],
  [0, null, true],
  ['', null, true],
  ['x', null, false],
  [{ a: 1 }, {}, true],
  ['x', {}, false],
  [[1], [1], false],
  ['abc', '>a', false],
];

for (const [value, pattern, expected] of cases) {
  test(`value ${JSON.stringify(value)} against pattern ${JSON.stringify(pattern)} is ${expected}`, () => {
    assert.equal(matchesValuePattern(value, pattern), expected);
  });
}

test('a leaf compiled once gives the same answers for every value it is applied to', () => {
  const byPattern = new Map<string, [JsonValue | undefined, boolean][]>();
  for (const [value, pattern, expected] of cases) {
    const key = JSON.stringify(pattern);
    byPattern.set(key, [...(byPattern.get(key) ?? []), [value, expected]]);
  }
  for (const [pattern, rows] of byPattern) {
    const check = compileValuePattern(JSON.parse(pattern) as JsonValue);
    // Twice over, so no state can carry from one value to the next.
    for (const [value, expected] of [...rows, ...rows])
      assert.equal(check(value), expected, `${pattern} ${JSON.stringify(value)}`);
  }
});
