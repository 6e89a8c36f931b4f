import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasWildcard, wildcardMatch, wildcardMatcher } from './wildcard.js';

test('wildcardMatch follows Kyverno: * is any run, ? exactly one character', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything', true],
    ['kube-*', 'kube-system', true],
    ['kube-*', 'kube', false],
    ['?', 'a', true],
    ['?', '', false],
    ['a?c', 'abc', true],
    ['a?c', 'abbc', false],
    ['*.example.com', 'x.example.com', true],
    ['*.example.com', 'xexample.com', false],
    ['exact', 'exact', true],
    ['exact', 'Exact', false],
    ['(x)', '(x)', true],
    ['a[b]*', 'a[b]c', true],
  ];
  for (const [pattern, value, want] of cases) {
    assert.equal(wildcardMatch(pattern, value), want, `${pattern} ~ ${value}`);
  }
});

test('hasWildcard', () => {
  assert.equal(hasWildcard('a*'), true);
  assert.equal(hasWildcard('a?'), true);
  assert.equal(hasWildcard('abc'), false);
});

/** The reference definition: an anchored code-point regex, as the matcher was first written. */
function referenceMatch(pattern: string, value: string): boolean {
  let src = '^';
  for (const ch of pattern) {
    if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(src + '$', 'u').test(value);
}

test('compiled matchers agree with the regex definition on every pattern shape', () => {
  const patterns = [
    '', '*', '**', 'a', 'ab', 'a*', '*a', 'a*b', '*a*', 'a**b', 'ab*ab', '*ab*ab*', 'a*b*a', 'a*a*a',
    'aba*aba', '*b?', 'a?*', '?', '??', 'kube-*', 'skip*', '*-system', 'x*😀*y', '😀*', '*\uD83D',
  ];
  const values = [
    '', 'a', 'b', 'ab', 'ba', 'aa', 'aba', 'abab', 'ababab', 'abba', 'aab', 'abaaba', 'abaXaba', 'aaa',
    'kube-system', 'kube', 'skip-this', 'skip', 'dev', 'kube-system-x', 'x😀y', 'x😀😀y', '😀', '😀x', '\uD83D',
  ];
  for (const pattern of patterns) {
    for (const value of values) {
      assert.equal(wildcardMatch(pattern, value), referenceMatch(pattern, value), `${pattern} ~ ${value}`);
    }
  }
});

test('wildcardMatcher returns one compiled matcher per pattern', () => {
  assert.equal(wildcardMatcher('team-*'), wildcardMatcher('team-*'));
  assert.equal(wildcardMatcher('team-*')('team-blue'), true);
  assert.equal(wildcardMatcher('team-*')('blue'), false);
});
