import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasWildcard, wildcardMatch } from './wildcard.js';

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
