// The compiled path (evaluate.ts) must give exactly the verdicts of the general path (general-rule.ts,
// the evaluator every rule used before compilation): every rule below runs through both, against
// several resources and operations, and the same compiled rule object is reused across them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { Rule } from '../../api/policy.js';
import type { PolicyRequest } from '../request.js';
import { pod, podRule, testEnv } from '../test-support.js';
import type { ContextValues } from '../values.js';
import { compiledValidateRule } from './compiled-rule.js';
import { evaluateCompiledRule } from './evaluate.js';
import { evaluateGeneralRule } from './general-rule.js';

const container = (name: string, image: string, sc: JsonObject = {}): JsonObject => ({
  name,
  image,
  securityContext: sc,
  ports: [{ containerPort: 8080 }, { containerPort: name === 'b' ? 80 : 9090 }],
});

const resources: KubeObject[] = [
  pod(
    'ok',
    { containers: [container('a', 'nginx:1.2', { capabilities: { drop: ['ALL'] } })] },
    { labels: { app: 'x' } },
  ),
  pod('latest', {
    initContainers: [container('i', 'busybox:latest')],
    containers: [
      container('a', 'nginx:latest', { privileged: true }),
      container('b', 'redis', { runAsNonRoot: true }),
    ],
  }),
  pod('weird', {
    containers: [{ name: 'a', image: 'x' }],
    hostNetwork: true,
    volumes: [{ name: 'v', hostPath: {} }],
  }),
  pod('empty', {}),
];

const deny = (conditions: JsonValue): JsonObject => ({ conditions });

const rules: Rule[] = [
  podRule('pattern', {
    validate: {
      message: 'tag on {{ request.object.metadata.name }}',
      pattern: { spec: { containers: [{ image: '!*:latest' }] } },
    },
  }),
  podRule('anchors', {
    validate: {
      pattern: {
        spec: {
          '=(initContainers)': [{ '=(securityContext)': { '=(privileged)': 'false' } }],
          containers: [{ '(name)': 'a', '=(securityContext)': { '=(privileged)': false } }],
          'X(hostNetwork)': 'null',
        },
      },
    },
  }),
  podRule('any-pattern', {
    validate: {
      message: 'non-root',
      anyPattern: [
        { spec: { securityContext: { runAsNonRoot: true } } },
        { spec: { containers: [{ securityContext: { runAsNonRoot: true } }] } },
      ],
    },
  }),
  podRule('pattern-with-variables', {
    validate: {
      pattern: { metadata: { name: '{{ request.object.metadata.name }}', labels: { app: '?*' } } },
    },
  }),
  podRule('wildcard-labels', { validate: { pattern: { metadata: { labels: { 'ap*': '?*' } } } } }),
  podRule('deny-caps', {
    preconditions: {
      all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: 'NotEquals', value: 'DELETE' }],
    },
    validate: {
      message: 'capabilities',
      deny: deny({
        all: [
          {
            key: '{{ request.object.spec.[initContainers, containers][].securityContext.capabilities.add[] }}',
            operator: 'AnyNotIn',
            value: ['NET_BIND_SERVICE', 'CHOWN'],
          },
        ],
      }),
    },
  }),
  podRule('deny-unresolved', {
    validate: { deny: deny({ any: [{ key: '{{ nothing.here }}', operator: 'Equals', value: '' }] }) },
  }),
  podRule('foreach-drop', {
    validate: {
      message: 'drop ALL on {{ element.name }}',
      foreach: [
        {
          list: 'request.object.spec.[initContainers, containers][]',
          deny: deny({
            all: [
              {
                key: 'ALL',
                operator: 'AnyNotIn',
                value: '{{ element.securityContext.capabilities.drop[] || `[]` }}',
              },
            ],
          }),
        },
      ],
    },
  }),
  podRule('foreach-nested', {
    validate: {
      foreach: [
        {
          list: 'request.object.spec.containers',
          preconditions: { all: [{ key: '{{ element.name }}', operator: 'NotEquals', value: 'zzz' }] },
          foreach: [
            {
              list: 'element.ports',
              deny: deny({
                any: [{ key: '{{ element1.containerPort }}', operator: 'LessThan', value: 1024 }],
              }),
            },
          ],
        },
      ],
    },
  }),
  podRule('foreach-scope', {
    validate: {
      foreach: [
        { list: 'request.object.spec.containers', pattern: { image: '*:*' } },
        { list: 'request.object.spec.containers[].name', elementScope: true, pattern: { x: 'y' } },
      ],
    },
  }),
  podRule('foreach-context', {
    context: [{ name: 'banned', variable: { value: ['redis'] } }],
    validate: {
      foreach: [
        {
          list: 'request.object.spec.containers',
          context: [{ name: 'repo', variable: { jmesPath: "split(element.image, ':')[0]" } }],
          deny: deny({ any: [{ key: '{{ repo }}', operator: 'AnyIn', value: '{{ banned }}' }] }),
        },
      ],
    },
  }),
  podRule('images', {
    validate: {
      foreach: [
        {
          list: 'images.containers.*',
          deny: deny({ any: [{ key: '{{ element.tag }}', operator: 'Equals', value: 'latest' }] }),
        },
      ],
    },
  }),
  podRule('bad-context', {
    context: [{ name: 'x', variable: { jmesPath: 'request.object.nope' } }],
    validate: { deny: {} },
  }),
  podRule('pss', { validate: { podSecurity: { level: 'restricted', version: 'latest' } } }),
];

const requests = (object: KubeObject): PolicyRequest[] => {
  const changed = { ...object, metadata: { ...object.metadata, labels: { app: 'changed' } } };
  return [
    { operation: 'CREATE', object },
    { operation: 'UPDATE', object, oldObject: object },
    { operation: 'UPDATE', object: changed, oldObject: object },
    { operation: 'DELETE', oldObject: object },
    { operation: '', object },
  ];
};

const values: ContextValues = {
  global: { extra: 'v' },
  rules: { 'foreach-drop': { foreachValues: { tag: ['1'] } } },
};

test('compiled and general paths agree on every rule, resource and operation', async () => {
  let compared = 0;
  for (const rule of rules) {
    const compiled = compiledValidateRule(rule);
    assert.equal(compiled.sync, true, rule.name);
    for (const object of resources) {
      for (const req of requests(object)) {
        for (const v of [undefined, values]) {
          const general = await evaluateGeneralRule(rule, req, testEnv, v);
          const fast = evaluateCompiledRule(compiled, req, testEnv, v);
          assert.deepEqual(
            fast,
            general,
            `${rule.name} on ${object.metadata.name} (${req.operation || 'background'})`,
          );
          compared++;
        }
      }
    }
  }
  assert.equal(compared, rules.length * resources.length * 5 * 2);
});

test('a rule that reads the cluster in a foreach takes the general path', () => {
  const rule = podRule('cm', {
    validate: {
      foreach: [
        {
          list: 'request.object.spec.containers',
          context: [{ name: 'cm', configMap: { name: 'x' } }],
          deny: {},
        },
      ],
    },
  });
  assert.equal(compiledValidateRule(rule).sync, false);
  assert.equal(compiledValidateRule(rules[0] as Rule).sync, true);
});

test('images are put in the context only for rules that can read them', () => {
  const needs = (name: string): boolean =>
    compiledValidateRule(rules.find((r) => r.name === name) as Rule).needsImages;
  assert.deepEqual(['pattern', 'deny-caps', 'foreach-drop', 'images'].map(needs), [
    false,
    false,
    false,
    true,
  ]);
  const dynamic = podRule('dyn', {
    context: [{ name: 'q', variable: { jmesPath: '{{ request.object.metadata.annotations.q }}' } }],
    validate: { deny: {} },
  });
  assert.equal(compiledValidateRule(dynamic).needsImages, true);
});
