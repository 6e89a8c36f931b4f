import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../api/json.js';
import { clusterPolicy, generateRule, namespacedPolicy, problemsOf } from './test-helpers.js';
import { validatePolicy } from './validate.js';

type Expected = { path: string; message: string; severity?: 'error' | 'warning' };

function rule(overrides: JsonObject): JsonObject {
  return clusterPolicy({ rules: [generateRule(overrides)] });
}

function gen(overrides: JsonObject, base: JsonObject = {}): JsonObject {
  const g = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: 'ns', ...base, ...overrides };
  return rule({ generate: g });
}

const nsRule = (overrides: JsonObject): JsonObject => namespacedPolicy({ rules: [generateRule(overrides)] });

const cases: { name: string; doc: JsonValue; expect: Expected[] }[] = [
  // schema
  {
    name: 'unknown field in generate',
    doc: gen({ synchronise: true }),
    expect: [{ path: 'spec.rules[0].generate.synchronise', message: 'unknown field "synchronise"' }],
  },
  {
    name: 'unknown spec field',
    doc: clusterPolicy({ backgroud: false }),
    expect: [{ path: 'spec.backgroud', message: 'unknown field "backgroud"' }],
  },
  {
    name: 'wrong type',
    doc: clusterPolicy({ background: 'yes' }),
    expect: [{ path: 'spec.background', message: 'must be a boolean, got a string' }],
  },
  {
    name: 'wrong type for a list',
    doc: rule({ match: { any: { resources: { kinds: ['Pod'] } } } }),
    expect: [{ path: 'spec.rules[0].match.any', message: 'must be a list, got an object' }],
  },
  {
    name: 'applyRules enum',
    doc: clusterPolicy({ applyRules: 'First' }),
    expect: [{ path: 'spec.applyRules', message: 'unsupported value "First": must be one of "All", "One"' }],
  },
  {
    name: 'failurePolicy enum',
    doc: clusterPolicy({ failurePolicy: 'Retry' }),
    expect: [
      { path: 'spec.failurePolicy', message: 'unsupported value "Retry": must be one of "Fail", "Ignore"' },
    ],
  },
  {
    name: 'validationFailureAction enum',
    doc: clusterPolicy({ validationFailureAction: 'Block' }),
    expect: [
      {
        path: 'spec.validationFailureAction',
        message: 'unsupported value "Block": must be one of "Audit", "Enforce", "audit", "enforce"',
      },
    ],
  },
  {
    name: 'lowercase validationFailureAction is deprecated',
    doc: clusterPolicy({ validationFailureAction: 'enforce' }),
    expect: [
      {
        path: 'spec.validationFailureAction',
        message: '"enforce" is deprecated: use "Enforce"',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'rule name required',
    doc: clusterPolicy({ rules: [{ ...generateRule(), name: null }] }),
    expect: [{ path: 'spec.rules[0].name', message: 'required field is missing' }],
  },
  {
    name: 'metadata.name required',
    doc: clusterPolicy({}, { metadata: {} }),
    expect: [{ path: 'metadata.name', message: 'required field is missing' }],
  },
  {
    name: 'v2beta1 rejects legacy match',
    doc: { ...rule({ match: { resources: { kinds: ['Namespace'] } } }), apiVersion: 'kyverno.io/v2beta1' },
    expect: [{ path: 'spec.rules[0].match.resources', message: 'unknown field "resources"' }],
  },
  {
    name: 'v2beta1 preconditions must be any/all',
    doc: {
      ...rule({ preconditions: [{ key: 'a', operator: 'Equals', value: 'a' }] }),
      apiVersion: 'kyverno.io/v2beta1',
    },
    expect: [{ path: 'spec.rules[0].preconditions', message: 'must be an object, got a list' }],
  },
  {
    name: 'unsupported kyverno.io version',
    doc: { ...clusterPolicy(), apiVersion: 'kyverno.io/v2' },
    expect: [
      {
        path: 'apiVersion',
        message: 'unsupported apiVersion "kyverno.io/v2": use kyverno.io/v1 or kyverno.io/v2beta1',
      },
    ],
  },
  // policy level
  {
    name: 'policy name too long',
    doc: clusterPolicy({}, { metadata: { name: 'x'.repeat(64) } }),
    expect: [{ path: 'metadata.name', message: 'a policy name must be no more than 63 characters' }],
  },
  {
    name: 'ClusterPolicy with namespace',
    doc: clusterPolicy({}, { metadata: { name: 'p', namespace: 'ns' } }),
    expect: [
      { path: 'metadata.namespace', message: 'a ClusterPolicy is cluster-wide and cannot have a namespace' },
    ],
  },
  {
    name: 'autogen all',
    doc: clusterPolicy(
      {},
      { metadata: { name: 'p', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'all' } } },
    ),
    expect: [
      {
        path: 'metadata.annotations["pod-policies.kyverno.io/autogen-controllers"]',
        message: 'the value "all" is no longer supported: remove the annotation or list the controllers',
      },
    ],
  },
  {
    name: 'generateExistingOnPolicyUpdate',
    doc: clusterPolicy({ generateExistingOnPolicyUpdate: true }),
    expect: [
      {
        path: 'spec.generateExistingOnPolicyUpdate',
        message: 'this field was removed: use generate.generateExisting in each rule instead',
      },
    ],
  },
  {
    name: 'admission false with generate',
    doc: clusterPolicy({ admission: false }),
    expect: [
      {
        path: 'spec.admission',
        message: 'admission can only be disabled in policies whose rules all validate',
      },
    ],
  },
  {
    name: 'admission and background false',
    doc: clusterPolicy({
      admission: false,
      background: false,
      rules: [
        {
          name: 'v',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { message: 'm', pattern: { a: 1 } },
        },
      ],
    }),
    expect: [{ path: 'spec.admission', message: 'admission and background cannot both be disabled' }],
  },
  {
    name: 'failurePolicy twice',
    doc: clusterPolicy({ failurePolicy: 'Fail', webhookConfiguration: { failurePolicy: 'Ignore' } }),
    expect: [
      {
        path: 'spec.failurePolicy',
        message: 'deprecated: remove it, spec.webhookConfiguration.failurePolicy is set',
      },
    ],
  },
  {
    name: 'timeout twice',
    doc: clusterPolicy({ webhookTimeoutSeconds: 5, webhookConfiguration: { timeoutSeconds: 5 } }),
    expect: [
      {
        path: 'spec.webhookTimeoutSeconds',
        message: 'deprecated: remove it, spec.webhookConfiguration.timeoutSeconds is set',
      },
    ],
  },
  {
    name: 'webhookTimeoutSeconds range',
    doc: clusterPolicy({ webhookTimeoutSeconds: 31 }),
    expect: [{ path: 'spec.webhookTimeoutSeconds', message: 'the timeout must be between 1 and 30 seconds' }],
  },
  {
    name: 'webhookConfiguration.timeoutSeconds range',
    doc: clusterPolicy({ webhookConfiguration: { timeoutSeconds: 0 } }),
    expect: [
      {
        path: 'spec.webhookConfiguration.timeoutSeconds',
        message: 'the timeout must be between 1 and 30 seconds',
      },
    ],
  },
  // rules
  {
    name: 'duplicate rule names',
    doc: clusterPolicy({ rules: [generateRule(), generateRule()] }),
    expect: [{ path: 'spec.rules[1].name', message: 'duplicate rule name "gen"' }],
  },
  {
    name: 'rule name too long',
    doc: rule({ name: 'r'.repeat(64) }),
    expect: [{ path: 'spec.rules[0].name', message: 'must be no more than 63 characters' }],
  },
  {
    name: 'no rule type',
    doc: rule({ generate: null }),
    expect: [
      {
        path: 'spec.rules[0]',
        message: 'rule "gen" does nothing: give it one of mutate, validate, generate or verifyImages',
      },
    ],
  },
  {
    name: 'two rule types',
    doc: rule({ validate: { message: 'x', pattern: { a: 1 } } }),
    expect: [
      {
        path: 'spec.rules[0]',
        message:
          'rule "gen" can have only one of mutate, validate, generate or verifyImages, found validate, generate',
      },
    ],
  },
  {
    name: 'celPreconditions with generate',
    doc: rule({ celPreconditions: [{ name: 'c', expression: 'true' }] }),
    expect: [
      {
        path: 'spec.rules[0].celPreconditions',
        message: 'celPreconditions can only be used with validate.cel',
      },
    ],
  },
  {
    name: 'imageExtractors without verifyImages',
    doc: rule({ imageExtractors: { Pod: [{ path: '/x' }] } }),
    expect: [
      {
        path: 'spec.rules[0].imageExtractors',
        message: 'imageExtractors can only be used with verifyImages',
      },
    ],
  },
  // match / exclude
  {
    name: 'any and all together',
    doc: rule({
      match: {
        any: [{ resources: { kinds: ['Namespace'] } }],
        all: [{ resources: { kinds: ['Namespace'] } }],
      },
    }),
    expect: [{ path: 'spec.rules[0].match', message: 'any and all cannot be used together' }],
  },
  {
    name: 'any with legacy resources',
    doc: rule({ match: { any: [{ resources: { kinds: ['Namespace'] } }], resources: { kinds: ['Pod'] } } }),
    expect: [
      { path: 'spec.rules[0].match.resources', message: 'resources cannot be used together with any/all' },
    ],
  },
  {
    name: 'empty match filter',
    doc: rule({ match: { any: [{ resources: {} }] } }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources',
        message: 'match cannot be empty: resources with at least one kind are required',
      },
    ],
  },
  {
    name: 'match without kinds',
    doc: rule({ match: { any: [{ resources: { names: ['x'] } }] } }),
    expect: [
      { path: 'spec.rules[0].match.any[0].resources.kinds', message: 'at least one kind is required' },
    ],
  },
  {
    name: 'missing match',
    doc: rule({ match: null }),
    expect: [{ path: 'spec.rules[0].match', message: 'match is required: select at least one kind' }],
  },
  {
    name: 'empty exclude filter',
    doc: rule({ exclude: { any: [{}] } }),
    expect: [{ path: 'spec.rules[0].exclude.any[0]', message: 'exclude filter cannot be empty' }],
  },
  {
    name: 'name and names',
    doc: rule({ match: { any: [{ resources: { kinds: ['Namespace'], name: 'a', names: ['b'] } }] } }),
    expect: [
      { path: 'spec.rules[0].match.any[0].resources', message: 'name and names cannot be used together' },
    ],
  },
  {
    name: 'variables in match',
    doc: rule({
      match: { any: [{ resources: { kinds: ['Namespace'], names: ['{{request.object.metadata.name}}'] } }] },
    }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources.names[0]',
        message: 'variables are not allowed in match or exclude',
      },
    ],
  },
  {
    name: 'variables in exclude',
    doc: rule({ exclude: { any: [{ resources: { namespaces: ['{{ns}}'] } }] } }),
    expect: [
      {
        path: 'spec.rules[0].exclude.any[0].resources.namespaces[0]',
        message: 'variables are not allowed in match or exclude',
      },
    ],
  },
  {
    name: 'empty selector',
    doc: rule({ match: { any: [{ resources: { kinds: ['Namespace'], selector: {} } }] } }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources.selector',
        message: 'selector needs at least one requirement',
      },
    ],
  },
  {
    name: 'role format',
    doc: clusterPolicy({
      background: false,
      rules: [generateRule({ match: { any: [{ resources: { kinds: ['Namespace'] }, roles: ['admin'] }] } })],
    }),
    expect: [{ path: 'spec.rules[0].match.any[0].roles[0]', message: 'a role is written namespace:name' }],
  },
  {
    name: 'ServiceAccount subject without namespace',
    doc: clusterPolicy({
      background: false,
      rules: [
        generateRule({
          match: {
            any: [
              { resources: { kinds: ['Namespace'] }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] },
            ],
          },
        }),
      ],
    }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].subjects[0].namespace',
        message: 'a ServiceAccount subject needs a namespace',
      },
    ],
  },
  {
    name: 'user info in background mode',
    doc: rule({ match: { any: [{ resources: { kinds: ['Namespace'] }, clusterRoles: ['admin'] }] } }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].clusterRoles',
        message: 'clusterRoles are only known at admission: set spec.background to false to match on them',
      },
    ],
  },
  {
    name: 'user variable in background mode',
    doc: gen({ name: '{{request.userInfo.username}}' }),
    expect: [
      {
        path: 'spec.rules[0].generate.name',
        message:
          'request.userInfo is only known at admission: set spec.background to false to use {{request.userInfo.username}}',
      },
    ],
  },
  {
    name: 'kinds * in generate rule',
    doc: clusterPolicy({
      background: false,
      rules: [generateRule({ match: { any: [{ resources: { kinds: ['*'] } }] } })],
    }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources.kinds',
        message: 'kind "*" cannot be used in generate, verifyImages or validate.foreach rules',
      },
    ],
  },
  {
    name: 'kinds * in background mode',
    doc: clusterPolicy({
      rules: [
        {
          name: 'm',
          match: { any: [{ resources: { kinds: ['*'] } }] },
          mutate: { patchStrategicMerge: { metadata: { labels: { a: 'b' } } } },
        },
      ],
    }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources.kinds',
        message: 'kind "*" needs spec.background set to false',
      },
    ],
  },
  {
    name: 'match and exclude cancel out',
    doc: rule({ exclude: { any: [{ resources: { kinds: ['Namespace'] } }] } }),
    expect: [
      {
        path: 'spec.rules[0].exclude.any[0]',
        message: 'this exclude filter equals a match filter, so the rule matches nothing',
      },
    ],
  },
  {
    name: 'legacy match kind equals generate kind',
    doc: rule({ match: { resources: { kinds: ['ConfigMap'] } } }),
    expect: [
      {
        path: 'spec.rules[0].generate.kind',
        message: 'the generated kind ConfigMap cannot also be matched in match.resources.kinds',
      },
    ],
  },
  // namespaced Policy
  {
    name: 'namespaces in a namespaced Policy',
    doc: nsRule({
      match: { any: [{ resources: { kinds: ['ConfigMap'], namespaces: ['a'] } }] },
      generate: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'team', data: {} },
    }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources.namespaces',
        message: 'a namespaced Policy cannot filter on namespaces',
      },
    ],
  },
  {
    name: 'cluster-wide match kind in a namespaced Policy',
    doc: nsRule({ generate: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'team', data: {} } }),
    expect: [
      {
        path: 'spec.rules[0].match.any[0].resources.kinds[0]',
        message: 'a namespaced Policy cannot match the cluster-wide kind Namespace',
      },
    ],
  },
  {
    name: 'namespaced Policy generating elsewhere',
    doc: nsRule({
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      generate: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'other', data: {} },
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.namespace',
        message: 'a namespaced Policy can only generate into its own namespace "team", not "other"',
      },
    ],
  },
  {
    name: 'namespaced Policy generating a cluster-wide kind',
    doc: nsRule({
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      generate: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'r', data: {} },
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.kind',
        message: 'a namespaced Policy cannot generate the cluster-wide kind ClusterRole',
      },
    ],
  },
  {
    name: 'namespaced Policy cloning from elsewhere',
    doc: nsRule({
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      generate: {
        apiVersion: 'v1',
        kind: 'Secret',
        name: 's',
        namespace: 'team',
        clone: { namespace: 'other', name: 's' },
      },
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.clone.namespace',
        message: 'a namespaced Policy can only clone from its own namespace "team"',
      },
    ],
  },
  {
    name: 'namespaced Policy cloneList from elsewhere',
    doc: nsRule({
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      generate: { namespace: 'team', cloneList: { namespace: 'other', kinds: ['v1/Secret'] } },
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.cloneList.namespace',
        message: 'a namespaced Policy can only clone from its own namespace "team"',
      },
    ],
  },
  {
    name: 'validationFailureActionOverrides in a Policy',
    doc: namespacedPolicy({
      rules: [
        {
          name: 'v',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: { message: 'm', pattern: { a: 1 } },
        },
      ],
      validationFailureActionOverrides: [{ action: 'Audit', namespaces: ['x'] }],
    }),
    expect: [
      {
        path: 'spec.validationFailureActionOverrides',
        message: 'validationFailureActionOverrides can only be used in a ClusterPolicy',
      },
    ],
  },
  // generate
  {
    name: 'data and clone together',
    doc: gen({ clone: { namespace: 'a', name: 'b' } }, { data: {} }),
    expect: [
      {
        path: 'spec.rules[0].generate',
        message: 'only one of data, clone, cloneList or foreach can be used',
      },
    ],
  },
  {
    name: 'missing kind',
    doc: gen({ kind: null, data: {} }),
    expect: [{ path: 'spec.rules[0].generate.kind', message: 'kind is required unless cloneList is used' }],
  },
  {
    name: 'missing apiVersion and name',
    doc: gen({ apiVersion: null, name: null, data: {} }),
    expect: [
      {
        path: 'spec.rules[0].generate.apiVersion',
        message: 'apiVersion is required unless cloneList is used',
      },
      { path: 'spec.rules[0].generate.name', message: 'name is required unless cloneList is used' },
    ],
  },
  {
    name: 'foreach entry missing name',
    doc: gen({
      apiVersion: null,
      kind: null,
      name: null,
      namespace: null,
      foreach: [{ list: 'request.object.x', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', data: {} }],
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.foreach[0].name',
        message: 'name is required unless cloneList is used',
      },
    ],
  },
  {
    name: 'anchors in data',
    doc: gen({ data: { metadata: { '+(labels)': { a: 'b' } } } }),
    expect: [
      {
        path: 'spec.rules[0].generate.data.metadata["+(labels)"]',
        message: 'anchors are not allowed in generate data',
      },
    ],
  },
  {
    name: 'cloneList selector wildcard',
    doc: gen({
      apiVersion: null,
      kind: null,
      name: null,
      cloneList: { namespace: 'a', kinds: ['v1/Secret'], selector: { matchLabels: { app: 'web-*' } } },
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.cloneList.selector',
        message: 'wildcards (* and ?) are not supported in cloneList.selector',
      },
    ],
  },
  {
    name: 'namespaced target without namespace',
    doc: gen({ namespace: null, data: {} }),
    expect: [
      {
        path: 'spec.rules[0].generate.namespace',
        message: 'namespace is required: ConfigMap is a namespaced kind',
      },
    ],
  },
  {
    name: 'cluster-wide target with namespace',
    doc: gen({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', data: {} }),
    expect: [
      {
        path: 'spec.rules[0].generate.namespace',
        message: 'namespace must not be set: ClusterRole is a cluster-wide kind',
      },
    ],
  },
  {
    name: 'cloneList mixed scopes',
    doc: gen({
      apiVersion: null,
      kind: null,
      name: null,
      cloneList: { namespace: 'a', kinds: ['v1/Secret', 'rbac.authorization.k8s.io/v1/ClusterRole'] },
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.cloneList.kinds',
        message: 'cloneList kinds must be all namespaced or all cluster-wide',
      },
    ],
  },
  {
    name: 'cloneList namespaced kinds without namespace',
    doc: gen({ apiVersion: null, kind: null, name: null, cloneList: { kinds: ['v1/Secret'] } }),
    expect: [
      {
        path: 'spec.rules[0].generate.cloneList.namespace',
        message: 'namespace is required to clone namespaced kinds',
      },
    ],
  },
  {
    name: 'unknown scope skips scope checks',
    doc: gen({ apiVersion: 'example.com/v1', kind: 'Widget', namespace: null, data: {} }),
    expect: [],
  },
  {
    name: 'variable in clone is a warning',
    doc: gen({ clone: { namespace: 'a', name: '{{source}}' } }),
    expect: [
      {
        path: 'spec.rules[0].generate.clone.name',
        message: 'contains a variable: the target or source kind cannot be checked before the rule runs',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'variable in kind is a warning',
    doc: gen({ kind: '{{kind}}', data: {} }),
    expect: [
      {
        path: 'spec.rules[0].generate.kind',
        message: 'contains a variable: the target or source kind cannot be checked before the rule runs',
        severity: 'warning',
      },
    ],
  },
  // conditions
  {
    name: 'unknown operator',
    doc: rule({ preconditions: { all: [{ key: 'a', operator: 'Contains', value: 'a' }] } }),
    expect: [
      {
        path: 'spec.rules[0].preconditions.all[0].operator',
        message:
          'unknown operator "Contains": must be one of Equals, NotEquals, Equal, NotEqual, In, AnyIn, AllIn, NotIn, AnyNotIn, AllNotIn, GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals, DurationGreaterThan, DurationGreaterThanOrEquals, DurationLessThan, DurationLessThanOrEquals',
      },
    ],
  },
  {
    name: 'operators are case-insensitive',
    doc: rule({ preconditions: { any: [{ key: 'a', operator: 'anyin', value: ['a'] }] } }),
    expect: [],
  },
  {
    name: 'deprecated operator',
    doc: rule({ preconditions: { any: [{ key: 'a', operator: 'In', value: ['a'] }] } }),
    expect: [
      {
        path: 'spec.rules[0].preconditions.any[0].operator',
        message: 'operator In is deprecated: use AllIn or AnyIn instead',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'condition without value',
    doc: rule({ preconditions: [{ key: 'a', operator: 'Equals' }] }),
    expect: [{ path: 'spec.rules[0].preconditions[0].value', message: 'value is required in a condition' }],
  },
  {
    name: 'request.operation values',
    doc: rule({
      preconditions: {
        all: [{ key: '{{ request.operation }}', operator: 'AnyIn', value: ['CREATE', 'PATCH'] }],
      },
    }),
    expect: [
      {
        path: 'spec.rules[0].preconditions.all[0].value[1]',
        message: 'request.operation is never "PATCH": use one of CREATE, UPDATE, DELETE, CONNECT',
      },
    ],
  },
  {
    name: 'deny condition operator',
    doc: clusterPolicy({
      rules: [
        {
          name: 'v',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          validate: {
            message: 'm',
            deny: { conditions: { any: [{ key: 'a', operator: 'Is', value: 'b' }] } },
          },
        },
      ],
    }),
    expect: [
      {
        path: 'spec.rules[0].validate.deny.conditions.any[0].operator',
        message:
          'unknown operator "Is": must be one of Equals, NotEquals, Equal, NotEqual, In, AnyIn, AllIn, NotIn, AnyNotIn, AllNotIn, GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals, DurationGreaterThan, DurationGreaterThanOrEquals, DurationLessThan, DurationLessThanOrEquals',
      },
    ],
  },
  // context
  {
    name: 'reserved context name',
    doc: rule({ context: [{ name: 'request', variable: { value: 1 } }] }),
    expect: [
      {
        path: 'spec.rules[0].context[0].name',
        message: 'context entry name "request" clashes with the built-in variable request',
      },
    ],
  },
  {
    name: 'duplicate context name warns',
    doc: rule({
      context: [
        { name: 'a', variable: { value: 1 } },
        { name: 'a', variable: { value: 2 } },
      ],
    }),
    expect: [
      {
        path: 'spec.rules[0].context[1].name',
        message: 'context entry name "a" is used twice; the later entry replaces the earlier one',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'context entry with two sources',
    doc: rule({ context: [{ name: 'a', variable: { value: 1 }, configMap: { name: 'c', namespace: 'n' } }] }),
    expect: [
      {
        path: 'spec.rules[0].context[0]',
        message: 'a context entry can have only one source, found configMap, variable',
      },
    ],
  },
  {
    name: 'context entry without source',
    doc: rule({ context: [{ name: 'a' }] }),
    expect: [
      {
        path: 'spec.rules[0].context[0]',
        message:
          'a context entry needs one source: one of configMap, apiCall, variable, globalReference, imageRegistry',
      },
    ],
  },
  {
    name: 'configMap needs namespace',
    doc: rule({ context: [{ name: 'a', configMap: { name: 'c' } }] }),
    expect: [
      {
        path: 'spec.rules[0].context[0].configMap.namespace',
        message: 'a configMap context entry needs a namespace',
      },
    ],
  },
  {
    name: 'variable needs value or jmesPath',
    doc: rule({ context: [{ name: 'a', variable: { default: 1 } }] }),
    expect: [
      { path: 'spec.rules[0].context[0].variable', message: 'a variable needs a value or a jmesPath' },
      {
        path: 'spec.rules[0].context[0].variable.default',
        message: 'a variable default is only used with a jmesPath',
      },
    ],
  },
  {
    name: 'foreach context checked too',
    doc: gen({
      apiVersion: null,
      kind: null,
      name: null,
      namespace: null,
      foreach: [
        {
          list: 'x',
          context: [{ name: 'element', variable: { value: 1 } }],
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'c',
          namespace: 'a',
          data: {},
        },
      ],
    }),
    expect: [
      {
        path: 'spec.rules[0].generate.foreach[0].context[0].name',
        message: 'context entry name "element" clashes with the built-in variable element',
      },
    ],
  },
];

for (const c of cases) {
  test(`validatePolicy: ${c.name}`, () => {
    const expected = c.expect.map((e) => ({ severity: 'error' as const, ...e }));
    assert.deepEqual(problemsOf(c.doc), expected);
  });
}

test('a valid policy comes back typed, with no problems', () => {
  const result = validatePolicy(clusterPolicy(), 'p.yaml');
  assert.deepEqual(result.problems, []);
  assert.equal(result.policy?.spec.rules[0]?.generate?.kind, 'ConfigMap');
});

test('a Policy without a namespace lands in "default", as with kubectl', () => {
  const doc = { ...clusterPolicy(), kind: 'Policy' };
  const result = validatePolicy(doc, 'p.yaml', { scopeOf: () => undefined });
  assert.equal(result.policy?.metadata.namespace, 'default');
});

test('warnings do not withhold the policy; errors do', () => {
  const warned = validatePolicy(gen({ clone: { namespace: 'a', name: '{{s}}' } }), 'p.yaml');
  assert.ok(warned.policy);
  const failed = validatePolicy(gen({ synchronise: true }), 'p.yaml');
  assert.equal(failed.policy, undefined);
});

test('every problem is reported at once, each naming file and policy', () => {
  const doc = clusterPolicy({
    applyRules: 'Some',
    rules: [generateRule({ generate: { kind: 'ConfigMap' } })],
  });
  const result = validatePolicy(doc, 'many.yaml');
  assert.deepEqual(
    result.problems.map((p) => [p.file, p.policy, p.path]),
    [
      ['many.yaml', 'p', 'spec.applyRules'],
      ['many.yaml', 'p', 'spec.rules[0].generate.apiVersion'],
      ['many.yaml', 'p', 'spec.rules[0].generate.name'],
    ],
  );
});

test('a scope oracle overrides the built-in table', () => {
  const doc = gen({ apiVersion: 'example.com/v1', kind: 'Widget', data: {} });
  assert.deepEqual(problemsOf(doc, { scopeOf: () => 'Cluster' }), [
    {
      path: 'spec.rules[0].generate.namespace',
      message: 'namespace must not be set: Widget is a cluster-wide kind',
      severity: 'error',
    },
  ]);
});

test('a malformed field is reported once, not again by the semantic checks', () => {
  assert.deepEqual(problemsOf(gen({ kind: 42, data: {} })), [
    { path: 'spec.rules[0].generate.kind', message: 'must be a string, got an integer', severity: 'error' },
  ]);
});
