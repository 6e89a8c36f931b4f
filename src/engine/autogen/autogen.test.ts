import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { podRule, policyOf } from '../test-support.js';
import { autogenControllers, computeRules } from './autogen.js';

const validate = podRule('check', {
  validate: {
    message: 'need {{request.object.metadata.name}}',
    pattern: { metadata: { labels: { app: '?*' } } },
  },
});

test('Pod rules get autogen- and autogen-cronjob- rules with template-shifted patterns and variables', () => {
  const rules = computeRules(policyOf([validate]));
  assert.deepEqual(
    rules.map((r) => r.name),
    ['check', 'autogen-check', 'autogen-cronjob-check'],
  );
  const [, controllers, cron] = rules;
  assert.deepEqual(controllers?.match.any?.[0]?.resources?.kinds, [
    'DaemonSet',
    'Deployment',
    'Job',
    'ReplicaSet',
    'ReplicationController',
    'StatefulSet',
  ]);
  assert.deepEqual(controllers?.validate?.['pattern'], {
    spec: { template: { metadata: { labels: { app: '?*' } } } },
  });
  assert.equal(controllers?.validate?.['message'], 'need {{request.object.spec.template.metadata.name}}');
  assert.deepEqual(cron?.match.any?.[0]?.resources?.kinds, ['CronJob']);
  assert.deepEqual(cron?.validate?.['pattern'], {
    spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: '?*' } } } } } },
  });
  assert.equal(
    cron?.validate?.['message'],
    'need {{request.object.spec.jobTemplate.spec.template.metadata.name}}',
  );
});

test('the autogen-controllers annotation picks controllers; none disables', () => {
  const some = policyOf(
    [validate],
    {},
    { 'pod-policies.kyverno.io/autogen-controllers': 'Deployment,StatefulSet' },
  );
  const rules = computeRules(some);
  assert.deepEqual(
    rules.map((r) => r.name),
    ['check', 'autogen-check'],
  );
  assert.deepEqual(rules[1]?.match.any?.[0]?.resources?.kinds, ['Deployment', 'StatefulSet']);
  const none = policyOf([validate], {}, { 'pod-policies.kyverno.io/autogen-controllers': 'none' });
  assert.deepEqual(
    computeRules(none).map((r) => r.name),
    ['check'],
  );
});

test('no autogen for selectors, names, mixed kinds, JSON patches or generate', () => {
  const withSelector = podRule('s', {
    match: { any: [{ resources: { kinds: ['Pod'], selector: { matchLabels: { a: 'b' } } } }] },
    validate: { pattern: { a: 1 } },
  });
  const mixed = podRule('m', {
    match: { any: [{ resources: { kinds: ['Pod', 'Service'] } }] },
    validate: { pattern: { a: 1 } },
  });
  const json6902 = podRule('j', { mutate: { patchesJson6902: '[]' } });
  for (const r of [withSelector, mixed, json6902]) assert.deepEqual(autogenControllers(policyOf([r])), []);
});

test('mutate patchStrategicMerge and foreach are wrapped under the template', () => {
  const m = podRule('m', {
    mutate: {
      foreach: [
        {
          list: 'request.object.spec.containers',
          patchStrategicMerge: { spec: { containers: [{ name: 'x' }] } },
        },
      ],
    },
  });
  const [, gen] = computeRules(policyOf([m]));
  const fe = (gen?.mutate?.['foreach'] as JsonObject[])[0];
  assert.equal(fe?.['list'], 'request.object.spec.template.spec.containers');
  assert.deepEqual(fe?.['patchStrategicMerge'], {
    spec: { template: { spec: { containers: [{ name: 'x' }] } } },
  });
});

test('validate.cel: object / oldObject references move under the template, as Kyverno rewrites CEL rules', () => {
  const cel = podRule('cel', {
    validate: {
      cel: {
        variables: [{ name: 'containers', expression: 'object.spec.containers' }],
        expressions: [
          {
            expression: "variables.containers.all(c, !c.image.endsWith(':latest'))",
            messageExpression: "'no latest in ' + object.metadata.name",
          },
          { expression: 'oldObject == null || oldObject.spec.restartPolicy == object.spec.restartPolicy' },
          { expression: "request.object.metadata.namespace != 'kube-system'" },
        ],
      },
    },
  });
  const [, controllers, cron] = computeRules(policyOf([cel]));
  // [rule, variable expression, messageExpression, second expression, request.object in CEL]
  const texts = (r: typeof controllers): JsonValue[] => {
    const c = r?.validate?.['cel'] as JsonObject;
    const variables = c['variables'] as JsonObject[];
    const expressions = c['expressions'] as JsonObject[];
    return [
      variables[0]?.['expression'] ?? null,
      expressions[0]?.['messageExpression'] ?? null,
      expressions[1]?.['expression'] ?? null,
      expressions[2]?.['expression'] ?? null,
    ];
  };
  assert.deepEqual(texts(controllers), [
    'object.spec.template.spec.containers',
    "'no latest in ' + object.spec.template.metadata.name",
    'oldObject == null || oldObject.spec.template.spec.restartPolicy == object.spec.template.spec.restartPolicy',
    "request.object.spec.template.metadata.namespace != 'kube-system'",
  ]);
  assert.deepEqual(texts(cron), [
    'object.spec.jobTemplate.spec.template.spec.containers',
    "'no latest in ' + object.spec.jobTemplate.spec.template.metadata.name",
    'oldObject == null || oldObject.spec.jobTemplate.spec.template.spec.restartPolicy == object.spec.jobTemplate.spec.template.spec.restartPolicy',
    "request.object.spec.jobTemplate.spec.template.metadata.namespace != 'kube-system'",
  ]);
});

test('JMESPath rules keep bare `object.spec` text (only request.object / request.oldObject move)', () => {
  const deny = podRule('d', {
    context: [{ name: 'object', variable: { value: { spec: 1 } } }],
    validate: { deny: { conditions: { any: [{ key: '{{ object.spec }}', operator: 'Equals', value: 1 }] } } },
  });
  const [, controllers] = computeRules(policyOf([deny]));
  assert.deepEqual(controllers?.validate?.['deny'], {
    conditions: { any: [{ key: '{{ object.spec }}', operator: 'Equals', value: 1 }] },
  });
});
