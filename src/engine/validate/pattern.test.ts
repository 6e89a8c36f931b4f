import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../api/json.js';
import { parseAnchor } from './anchor.js';
import { compilePattern } from './compiled-pattern.js';
import { matchCompiledPattern, matchPattern } from './pattern.js';

const pod = (extra: Record<string, JsonValue> = {}): JsonValue => ({
  metadata: { name: 'p', labels: { app: 'web', 'app.kubernetes.io/name': 'x' } },
  spec: {
    containers: [
      { name: 'a', image: 'nginx:1.2', resources: { limits: { memory: '1Gi' } } },
      { name: 'b', image: 'busybox:latest' },
    ],
    ...extra,
  },
});

type Want = 'pass' | 'fail' | 'skip' | 'error';
const verdict = (resource: JsonValue, pattern: JsonValue): Want => {
  const m = matchPattern(resource, pattern);
  if (m === undefined) return 'pass';
  if (m.skip) return 'skip';
  return m.path === '' ? 'error' : 'fail';
};

const cases: [string, JsonValue, JsonValue, Want][] = [
  ['plain keys match', pod(), { metadata: { labels: { app: 'web' } } }, 'pass'],
  ['plain key missing fails', pod(), { metadata: { labels: { team: '?*' } } }, 'fail'],
  ['"*" requires presence', pod(), { metadata: { labels: { team: '*' } } }, 'fail'],
  [
    'wildcard label key expands to the resource key',
    pod(),
    { metadata: { labels: { 'app.kubernetes.io/*': '?*' } } },
    'pass',
  ],
  ['list of maps: every element checked', pod(), { spec: { containers: [{ image: '*:*' }] } }, 'pass'],
  ['list of maps: one element fails', pod(), { spec: { containers: [{ image: '!*:latest' }] } }, 'fail'],
  [
    'conditional anchor selects elements',
    pod(),
    { spec: { containers: [{ '(name)': 'a', image: '!*:latest' }] } },
    'pass',
  ],
  [
    'conditional anchor matching nothing skips',
    pod(),
    { spec: { containers: [{ '(name)': 'zzz', image: 'x' }] } },
    'skip',
  ],
  [
    'conditional anchor on map key absent skips',
    pod(),
    { spec: { '(hostNetwork)': true, containers: [{ image: 'x' }] } },
    'skip',
  ],
  ['equality anchor absent passes', pod(), { spec: { '=(hostNetwork)': false } }, 'pass'],
  [
    'equality anchor present and different fails',
    pod({ hostNetwork: true }),
    { spec: { '=(hostNetwork)': false } },
    'fail',
  ],
  [
    'negation anchor absent passes',
    pod(),
    { spec: { containers: [{ '=(resources)': { '=(limits)': { 'X(cpu)': null } } }] } },
    'pass',
  ],
  [
    'negation anchor present fails',
    pod(),
    { spec: { containers: [{ '=(resources)': { '=(limits)': { 'X(memory)': null } } }] } },
    'fail',
  ],
  [
    'existence anchor: one element matches',
    pod(),
    { spec: { '^(containers)': [{ image: 'busybox:*' }] } },
    'pass',
  ],
  ['existence anchor: none matches', pod(), { spec: { '^(containers)': [{ image: 'redis:*' }] } }, 'fail'],
  [
    'global anchor mismatch skips the rule',
    pod(),
    { spec: { containers: [{ '<(image)': 'corp.io/*' }], hostNetwork: true } },
    'skip',
  ],
  [
    'global anchor match applies the rest',
    pod({ imagePullSecrets: [{ name: 's' }] }),
    { spec: { containers: [{ '<(image)': 'nginx:*' }], imagePullSecrets: [{ name: 'other' }] } },
    'fail',
  ],
  ['scalar pattern over a list checks every item', { a: [1, 2, 3] }, { a: '>0' }, 'pass'],
  ['scalar pattern over a list fails one item', { a: [1, 0, 3] }, { a: '>0' }, 'fail'],
  ['structure mismatch fails', { a: 'x' }, { a: { b: 1 } }, 'fail'],
  ['missing conditional key skips', { spec: { a: 1 } }, { spec: { '(missing)': 'x', a: 2 } }, 'skip'],
  [
    'failure beside an absent negation key is an error (no path)',
    { spec: { a: 1 } },
    { spec: { 'X(foo)': null, a: 2 } },
    'error',
  ],
  [
    'anyPattern-style runAsNonRoot',
    pod({ securityContext: { runAsNonRoot: true } }),
    { spec: { securityContext: { runAsNonRoot: 'true' } } },
    'pass',
  ],
];

for (const [name, resource, pattern, want] of cases) {
  test(`pattern: ${name}`, () => {
    assert.equal(verdict(resource, pattern), want);
  });
}

test('the failure path names the offending field', () => {
  const m = matchPattern(pod(), { spec: { containers: [{ image: '!*:latest' }] } });
  assert.equal(m?.path, '/spec/containers/1/image/');
});

test('anchors parse with their kind and key', () => {
  assert.deepEqual(
    ['(a)', '=(a)', 'X(a)', '^(a)', '<(a)', '+(a)', 'a', '()'].map((k) => parseAnchor(k)?.kind),
    ['condition', 'equality', 'negation', 'existence', 'global', 'addIfNotPresent', undefined, undefined],
  );
});

test('a compiled pattern reused across resources answers as a fresh one (wildcard keys expand per resource)', () => {
  const pattern: JsonValue = {
    metadata: { labels: { 'app.kubernetes.io/*': 'x*' } },
    spec: { containers: [{ '(name)': 'a', image: '!*:latest' }] },
  };
  const node = compilePattern(pattern);
  const resources: [JsonValue, Want][] = [
    [
      {
        metadata: { labels: { 'app.kubernetes.io/name': 'xy' } },
        spec: { containers: [{ name: 'a', image: 'n:1' }] },
      },
      'pass',
    ],
    [{ metadata: { labels: { 'app.kubernetes.io/part': 'zz' } }, spec: { containers: [] } }, 'fail'],
    [{ metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'a', image: 'n:1' }] } }, 'fail'],
    [
      {
        metadata: { labels: { 'app.kubernetes.io/a': 'x' } },
        spec: { containers: [{ name: 'a', image: 'n:latest' }] },
      },
      'fail',
    ],
    [
      {
        metadata: { labels: { 'app.kubernetes.io/a': 'x' } },
        spec: { containers: [{ name: 'b', image: 'n:latest' }] },
      },
      'skip',
    ],
  ];
  for (const [resource, want] of [...resources, ...resources]) {
    assert.deepEqual(matchCompiledPattern(resource, node), matchPattern(resource, pattern));
    assert.equal(verdict(resource, pattern), want, JSON.stringify(resource));
  }
});
