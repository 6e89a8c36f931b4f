import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MatchResources } from '../../api/policy.js';
import { kindsOf, requiresNamespaceLabels } from './match-summary.js';

const nsSel = { matchLabels: { env: 'prod' } };

test('requiresNamespaceLabels looks at match and exclude, any/all/legacy', () => {
  const cases: [string, MatchResources, MatchResources | undefined, boolean][] = [
    ['no selector', { any: [{ resources: { kinds: ['Pod'] } }] }, undefined, false],
    ['label selector only', { any: [{ resources: { kinds: ['Pod'], selector: nsSel } }] }, undefined, false],
    [
      'match.any',
      {
        any: [{ resources: { kinds: ['Pod'] } }, { resources: { kinds: ['Pod'], namespaceSelector: nsSel } }],
      },
      undefined,
      true,
    ],
    ['match.all', { all: [{ resources: { kinds: ['Pod'], namespaceSelector: nsSel } }] }, undefined, true],
    ['legacy match', { resources: { kinds: ['Pod'], namespaceSelector: nsSel } }, undefined, true],
    [
      'exclude.any',
      { any: [{ resources: { kinds: ['Pod'] } }] },
      { any: [{ resources: { namespaceSelector: nsSel } }] },
      true,
    ],
    [
      'legacy exclude',
      { any: [{ resources: { kinds: ['Pod'] } }] },
      { resources: { namespaceSelector: nsSel } },
      true,
    ],
    [
      'exclude without one',
      { any: [{ resources: { kinds: ['Pod'] } }] },
      { any: [{ resources: { namespaces: ['x'] } }] },
      false,
    ],
  ];
  for (const [name, match, exclude, want] of cases) {
    assert.equal(requiresNamespaceLabels(match, exclude), want, name);
  }
});

test('kindsOf lists every kind selector once, in order', () => {
  assert.deepEqual(
    kindsOf({
      resources: { kinds: ['ConfigMap'] },
      any: [
        { resources: { kinds: ['Pod', 'apps/v1/Deployment'] } },
        { subjects: [{ kind: 'User', name: 'x' }] },
      ],
      all: [{ resources: { kinds: ['Pod', 'Pod/exec'] } }],
    }),
    ['ConfigMap', 'Pod', 'apps/v1/Deployment', 'Pod/exec'],
  );
  assert.deepEqual(kindsOf({ any: [{ resources: { names: ['x'] } }] }), []);
});
