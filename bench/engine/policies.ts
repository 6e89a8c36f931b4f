// The benchmark's policy mix: 50 generate ClusterPolicies of five shapes (data, clone, cloneList, foreach,
// data with context variables), with match/exclude, preconditions and context entries. Most match
// Namespaces; every tenth matches another kind, so the index has something to filter out.
import type { KyvernoPolicy, Rule } from '../../src/api/policy.js';

const NAMESPACE_MATCH = { any: [{ resources: { kinds: ['Namespace'] } }] };
const OTHER_MATCH = { any: [{ resources: { kinds: ['apps/v1/Deployment', 'ConfigMap'] } }] };

function dataRule(i: number): Rule {
  return {
    name: `default-deny-${i}`,
    match: NAMESPACE_MATCH,
    exclude: { any: [{ resources: { names: ['kube-*', 'kyverno'] } }] },
    generate: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      name: `default-deny-${i}`,
      namespace: '{{request.object.metadata.name}}',
      synchronize: true,
      data: { spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    },
  };
}

function cloneRule(i: number): Rule {
  return {
    name: `clone-regcred-${i}`,
    match: NAMESPACE_MATCH,
    preconditions: {
      all: [{ key: '{{ request.object.metadata.labels.env || \'\' }}', operator: 'Equals', value: 'prod' }],
    },
    generate: {
      apiVersion: 'v1',
      kind: 'Secret',
      name: `regcred-${i}`,
      namespace: '{{request.object.metadata.name}}',
      synchronize: true,
      clone: { namespace: 'default', name: 'regcred' },
    },
  };
}

function cloneListRule(i: number): Rule {
  return {
    name: `clone-shared-${i}`,
    match: NAMESPACE_MATCH,
    exclude: { any: [{ resources: { namespaces: ['system-*'] } }] },
    generate: {
      namespace: '{{request.object.metadata.name}}',
      synchronize: true,
      cloneList: {
        namespace: 'shared',
        kinds: ['v1/Secret', 'v1/ConfigMap'],
        selector: { matchLabels: { share: 'true' } },
      },
    },
  };
}

function foreachRule(i: number): Rule {
  return {
    name: `per-environment-${i}`,
    match: NAMESPACE_MATCH,
    generate: {
      foreach: [
        {
          list: "split(request.object.metadata.annotations.\"example.com/environments\", ',')",
          context: [{ name: 'envUpper', variable: { jmesPath: 'to_upper(element)' } }],
          preconditions: { all: [{ key: '{{ element }}', operator: 'NotEquals', value: 'skip*' }] },
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: `env-${i}-{{ elementIndex }}-{{ element }}`,
          namespace: '{{ request.object.metadata.name }}',
          data: { data: { environment: '{{ element }}', upper: '{{ envUpper }}' } },
        },
      ],
    },
  };
}

function contextRule(i: number, match: Rule['match']): Rule {
  return {
    name: `team-info-${i}`,
    match,
    context: [
      { name: 'team', variable: { jmesPath: 'request.object.metadata.labels.team' } },
      { name: 'cost', variable: { jmesPath: 'request.object.metadata.labels."cost-center"', default: 'none' } },
      { name: 'tiers', variable: { value: { prod: 'gold', dev: 'bronze' } } },
    ],
    preconditions: {
      any: [{ key: '{{ team }}', operator: 'AnyIn', value: ['blue', 'green', 'red'] }],
      all: [{ key: '{{ to_number(request.object.metadata.labels.replicas || `1`) }}', operator: 'GreaterThan', value: 0 }],
    },
    generate: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: `team-info-${i}`,
      namespace: '{{request.object.metadata.name}}',
      data: {
        metadata: { labels: { team: '{{ team }}' } },
        data: {
          team: '{{ team }}',
          tier: '{{ tiers.{{ request.object.metadata.labels.env }} }}',
          cost: '{{ cost }}',
          summary: 'namespace {{ request.object.metadata.name }} of {{ to_upper(team) }}',
        },
      },
    },
  };
}

function ruleFor(i: number): Rule {
  if (i % 10 === 9) return contextRule(i, OTHER_MATCH);
  switch (i % 5) {
    case 0:
      return dataRule(i);
    case 1:
      return cloneRule(i);
    case 2:
      return cloneListRule(i);
    case 3:
      return foreachRule(i);
    default:
      return contextRule(i, NAMESPACE_MATCH);
  }
}

export function benchmarkPolicies(count = 50): KyvernoPolicy[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: `bench-${i}` },
    spec: { rules: [ruleFor(i)] },
  }));
}
