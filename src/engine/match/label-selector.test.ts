import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesLabelSelector } from './label-selector.js';

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
