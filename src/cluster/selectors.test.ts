import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorParseError,
} from './selectors.js';

test('label selector strings match as apimachinery does', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,tier=back', false],
    ['app=web, tier in (front,back), !missing', true],
    ['n>4', true],
    ['n<5', false],
    ['missing>1', false],
  ];
  for (const [sel, want] of cases) assert.equal(matchesLabels(parseLabelSelector(sel), labels), want, sel);
});

test('malformed label selectors are rejected', () => {
  for (const bad of ['a in (b', 'a=b(', '=b', '-a=b', 'a=b c', 'a>x']) {
    assert.throws(() => parseLabelSelector(bad), SelectorParseError, bad);
  }
});

test('formatLabelSelector round-trips a metav1.LabelSelector', () => {
  const s = formatLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'x', operator: 'NotIn', values: ['1'] },
      { key: 'y', operator: 'Exists' },
      { key: 'z', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(s, 'app=web,tier in (a,b),x notin (1),y,!z');
  assert.equal(matchesLabels(parseLabelSelector(s), { app: 'web', tier: 'a', y: '' }), true);
  assert.equal(matchesLabels(parseLabelSelector(s), { app: 'web', tier: 'a', y: '', z: '' }), false);
});

test('field selectors: =, ==, != over the supported fields', () => {
  const fields = { 'metadata.name': 'a', 'metadata.namespace': 'ns' };
  const cases: [string, boolean][] = [
    ['metadata.name=a', true],
    ['metadata.name==a', true],
    ['metadata.name!=a', false],
    ['metadata.name=a,metadata.namespace=other', false],
    ['metadata.namespace!=other', true],
  ];
  for (const [sel, want] of cases) assert.equal(matchesFields(parseFieldSelector(sel), fields), want, sel);
  assert.throws(() => parseFieldSelector('metadata.name'), SelectorParseError);
});
