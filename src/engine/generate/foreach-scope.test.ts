// A foreach element sees the rule's scope plus its own element and context entries, never a value
// left by the previous element, whether the engine rebuilds the scope per element or overwrites it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../api/json.js';
import type { ContextEntry, KyvernoPolicy } from '../../api/policy.js';
import type { PolicyRequest } from '../request.js';
import { testEnv } from '../test-support.js';
import { evaluateGenerate, evaluateGenerateSync } from './evaluate.js';

function policyWith(context: ContextEntry[], data: JsonValue, ruleContext: ContextEntry[] = []): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'scope' },
    spec: {
      rules: [
        {
          name: 'per-item',
          match: { any: [{ resources: { kinds: ['Namespace'] } }] },
          context: ruleContext,
          generate: {
            foreach: [
              {
                list: "split('a,b,c', ',')",
                context,
                apiVersion: 'v1',
                kind: 'ConfigMap',
                name: 'cm-{{ element }}',
                namespace: 'ns',
                data: { data: data },
              },
            ],
          },
        },
      ],
    },
  };
}

const request: PolicyRequest = {
  operation: 'CREATE',
  object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
};

async function dataOf(policy: KyvernoPolicy): Promise<JsonValue[]> {
  const sync = evaluateGenerateSync(policy, request, testEnv);
  const outcomes = await evaluateGenerate(policy, request, testEnv);
  assert.deepEqual(sync, outcomes, 'the sync and async paths agree');
  return (outcomes[0]?.plan?.targets ?? []).map((t) => (t.type === 'data' ? (t.object['data'] as JsonValue) : null));
}

const cases: { name: string; context: ContextEntry[]; data: JsonValue; rule?: ContextEntry[]; want: JsonValue[] }[] = [
  {
    name: 'entries computed from the element',
    context: [
      { name: 'upper', variable: { jmesPath: 'to_upper(element)' } },
      { name: 'twice', variable: { jmesPath: "join('', [upper, upper])" } },
    ],
    data: { v: '{{ twice }}', i: '{{ elementIndex }}' },
    want: [{ v: 'AA', i: 0 }, { v: 'BB', i: 1 }, { v: 'CC', i: 2 }],
  },
  {
    name: 'an entry reading a later entry sees it missing, not the previous element value',
    context: [
      { name: 'first', variable: { jmesPath: "later || 'none'" } },
      { name: 'later', variable: { jmesPath: 'element' } },
    ],
    data: { first: '{{ first }}', later: '{{ later }}' },
    want: [
      { first: 'none', later: 'a' },
      { first: 'none', later: 'b' },
      { first: 'none', later: 'c' },
    ],
  },
  {
    name: 'an entry shadowing a rule-level name reads the rule-level value every time',
    rule: [{ name: 'acc', variable: { value: 'start' } }],
    context: [{ name: 'acc', variable: { jmesPath: "join('+', [acc, element])" } }],
    data: { acc: '{{ acc }}' },
    want: [{ acc: 'start+a' }, { acc: 'start+b' }, { acc: 'start+c' }],
  },
  {
    name: 'an entry that lists the whole scope sees only names set so far',
    context: [
      { name: 'names', variable: { jmesPath: "join(',', keys(@))" } },
      { name: 'extra', variable: { value: 'x' } },
    ],
    data: { names: '{{ names }}' },
    want: [
      { names: 'request,serviceAccountName,serviceAccountNamespace,element,elementIndex' },
      { names: 'request,serviceAccountName,serviceAccountNamespace,element,elementIndex' },
      { names: 'request,serviceAccountName,serviceAccountNamespace,element,elementIndex' },
    ],
  },
];

test('foreach element scopes never leak from one element to the next', async () => {
  for (const c of cases) {
    assert.deepEqual(await dataOf(policyWith(c.context, c.data, c.rule)), c.want, c.name);
  }
});
