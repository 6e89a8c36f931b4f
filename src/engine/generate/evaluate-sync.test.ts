// evaluateGenerateSync must answer exactly what evaluateGenerate answers, or decline (undefined)
// when a rule needs a lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import type { PolicyRequest } from '../request.js';
import { testEnv } from '../test-support.js';
import { evaluateGenerate, evaluateGenerateSync } from './evaluate.js';
import { LABEL, managementLabels } from './labels.js';

const NS_MATCH = { any: [{ resources: { kinds: ['Namespace'] } }] };

function policy(rules: Rule[], applyRules?: 'One' | 'All'): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules, ...(applyRules ? { applyRules } : {}) },
  };
}

const dataRule = (name: string): Rule => ({
  name,
  match: NS_MATCH,
  generate: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: `${name}-{{ request.object.metadata.name }}`,
    namespace: '{{ request.object.metadata.name }}',
    data: { data: { team: '{{ request.object.metadata.labels.team || `"none"` }}' } },
  },
});

const foreachRule: Rule = {
  name: 'per-env',
  match: NS_MATCH,
  context: [{ name: 'suffix', variable: { value: 'cfg' } }],
  generate: {
    foreach: [
      {
        list: "split(request.object.metadata.annotations.envs || '', ',')",
        context: [{ name: 'upper', variable: { jmesPath: 'to_upper(element)' } }],
        preconditions: { all: [{ key: '{{ element }}', operator: 'NotEquals', value: 'skip*' }] },
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: '{{ element }}-{{ elementIndex }}-{{ suffix }}',
        namespace: '{{ request.object.metadata.name }}',
        data: { data: { env: '{{ upper }}' } },
      },
    ],
  },
};

const lookupRule: Rule = {
  ...dataRule('from-cm'),
  context: [{ name: 'cm', configMap: { name: 'settings', namespace: 'default' } }],
};

const ns = (labels: Record<string, string>, envs = 'dev,skip-me,prod'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', uid: 'u-1', labels, annotations: { envs } },
});

const requests: [string, PolicyRequest][] = [
  ['CREATE', { operation: 'CREATE', object: ns({ team: 'blue' }) }],
  ['UPDATE', { operation: 'UPDATE', object: ns({ team: 'red' }, 'qa'), oldObject: ns({ team: 'blue' }) }],
  ['DELETE', { operation: 'DELETE', oldObject: ns({ team: 'blue' }) }],
  ['background', { operation: '', object: ns({}) }],
];

const policies: [string, KyvernoPolicy, { ruleNames?: ReadonlySet<string> }][] = [
  ['one data rule', policy([dataRule('a')]), {}],
  ['foreach', policy([foreachRule]), {}],
  ['two rules', policy([dataRule('a'), foreachRule]), {}],
  ['applyRules One', policy([dataRule('a'), dataRule('b')], 'One'), {}],
  ['ruleNames', policy([dataRule('a'), dataRule('b')]), { ruleNames: new Set(['b']) }],
  ['lookup rule not selected', policy([lookupRule, dataRule('b')]), { ruleNames: new Set(['b']) }],
];

for (const [pname, p, options] of policies) {
  for (const [rname, req] of requests) {
    test(`sync = async: ${pname}, ${rname}`, async () => {
      const sync = evaluateGenerateSync(p, req, testEnv, options);
      assert.notEqual(sync, undefined);
      assert.deepEqual(sync, await evaluateGenerate(p, req, testEnv, options));
    });
  }
}

test('a rule with a lookup makes the sync path decline', () => {
  const req = requests[0]?.[1] as PolicyRequest;
  assert.equal(evaluateGenerateSync(policy([lookupRule]), req, testEnv), undefined);
  assert.equal(evaluateGenerateSync(policy([dataRule('a'), lookupRule]), req, testEnv), undefined);
  assert.equal(
    evaluateGenerateSync(policy([dataRule('a'), lookupRule]), req, testEnv, { ruleNames: new Set(['from-cm']) }),
    undefined,
  );
});

test('foreach plans one target per element that passes its preconditions', () => {
  const out = evaluateGenerateSync(policy([foreachRule]), requests[0]?.[1] as PolicyRequest, testEnv);
  const targets = out?.[0]?.plan?.targets ?? [];
  assert.deepEqual(
    targets.map((t) => (t.type === 'data' ? [t.target.name, t.object['data']] : t.type)),
    [
      ['dev-0-cfg', { env: 'DEV' }],
      ['prod-2-cfg', { env: 'PROD' }],
    ],
  );
});

test('targets without labels of their own carry the plan labels, which cannot be changed', () => {
  const out = evaluateGenerateSync(policy([dataRule('a')]), requests[0]?.[1] as PolicyRequest, testEnv);
  const plan = out?.[0]?.plan;
  const target = plan?.targets[0];
  assert.ok(plan && target?.type === 'data');
  assert.deepEqual(target.object.metadata.labels, plan.labels);
  assert.ok(Object.isFrozen(plan.labels));
});

test('managementLabels uses the LABEL keys, trigger group and version parsed per apiVersion', () => {
  const trigger = (apiVersion: string): KubeObject => ({
    apiVersion,
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'u-2' },
  });
  for (const [apiVersion, group, version] of [
    ['apps/v1', 'apps', 'v1'],
    ['v1', '', 'v1'],
    ['apps/v1', 'apps', 'v1'],
    ['example.com/v1beta1', 'example.com', 'v1beta1'],
  ] as const) {
    assert.deepEqual(managementLabels('pol', 'ns', 'rule', trigger(apiVersion)), {
      [LABEL.managedBy]: 'kyverno',
      [LABEL.policyName]: 'pol',
      [LABEL.policyNamespace]: 'ns',
      [LABEL.ruleName]: 'rule',
      [LABEL.triggerGroup]: group,
      [LABEL.triggerVersion]: version,
      [LABEL.triggerKind]: 'Deployment',
      [LABEL.triggerNamespace]: 'shop',
      [LABEL.triggerUid]: 'u-2',
    });
  }
});
