import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expandWildcardMatchLabels,
  matchesLabelSelector,
  matchesWildcardLabelSelector,
} from './label-selector.js';

test('matchLabels and matchExpressions are ANDed', () => {
  const labels = { app: 'web', tier: 'front' };
  assert.equal(matchesLabelSelector({}, labels), true);
  assert.equal(matchesLabelSelector({ matchLabels: { app: 'web' } }, labels), true);
  assert.equal(matchesLabelSelector({ matchLabels: { app: 'db' } }, labels), false);
  assert.equal(
    matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, labels),
    true,
  );
  assert.equal(
    matchesLabelSelector(
      { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] },
      labels,
    ),
    false,
  );
  assert.equal(
    matchesLabelSelector({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['a'] }] }, labels),
    true,
  );
  assert.equal(matchesLabelSelector({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, labels), false);
  assert.equal(
    matchesLabelSelector({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, labels),
    true,
  );
  assert.equal(
    matchesLabelSelector(
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      undefined,
    ),
    false,
  );
});

test('Kyverno wildcard matchLabels: keys and values are expanded against the labels first', () => {
  const labels = { 'app.kubernetes.io/name': 'web', tier: 'front', app0: '0' };
  const cases: [
    string,
    Parameters<typeof matchesWildcardLabelSelector>[0],
    Record<string, string> | undefined,
    boolean,
  ][] = [
    ['value *', { matchLabels: { 'app.kubernetes.io/name': '*' } }, labels, true],
    ['value ?eb', { matchLabels: { 'app.kubernetes.io/name': '?eb' } }, labels, true],
    ['value pattern misses', { matchLabels: { 'app.kubernetes.io/name': 'db*' } }, labels, false],
    ['key pattern', { matchLabels: { 'app.kubernetes.io/*': 'web' } }, labels, true],
    ['key and value pattern', { matchLabels: { '*/name': 'w*' } }, labels, true],
    ['key pattern, label absent', { matchLabels: { 'team/*': '*' } }, labels, false],
    ['no labels at all', { matchLabels: { 'app*': '*' } }, undefined, false],
    [
      'mixed with a literal entry',
      { matchLabels: { tier: 'front', 'app.kubernetes.io/name': 'w*' } },
      labels,
      true,
    ],
    [
      'literal entry still enforced',
      { matchLabels: { tier: 'back', 'app.kubernetes.io/name': 'w*' } },
      labels,
      false,
    ],
    // An unmatched pattern becomes a literal with * and ? replaced by 0, exactly as Kyverno does.
    ['unmatched pattern neutralised to 0', { matchLabels: { 'app?': '*' } }, { app0: '0' }, true],
    [
      'expressions unchanged',
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      labels,
      true,
    ],
    [
      'In without values cannot be built',
      { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] },
      labels,
      false,
    ],
    [
      'NotIn without values cannot be built',
      { matchExpressions: [{ key: 'x', operator: 'NotIn' }] },
      labels,
      false,
    ],
    [
      'Exists with values cannot be built',
      { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['a'] }] },
      labels,
      false,
    ],
    ['empty selector matches everything', {}, labels, true],
  ];
  for (const [name, selector, have, want] of cases) {
    assert.equal(matchesWildcardLabelSelector(selector, have), want, name);
  }
  assert.deepEqual(expandWildcardMatchLabels({ 'app.kubernetes.io/*': 'w?b', tier: 'x' }, labels), {
    tier: 'x',
    'app.kubernetes.io/name': 'web',
  });
});
