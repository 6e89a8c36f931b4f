// Builders shared by the policy tests: a valid generate policy to mutate one field at a time.
import type { JsonObject, JsonValue } from '../api/json.js';
import type { PolicyProblem } from './problems.js';
import type { ValidatePolicyOptions } from './validate.js';
import { validatePolicy } from './validate.js';

export function generateRule(overrides: JsonObject = {}): JsonObject {
  return {
    name: 'gen',
    match: { any: [{ resources: { kinds: ['Namespace'] } }] },
    generate: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'cm',
      namespace: '{{request.object.metadata.name}}',
      data: { data: { a: '1' } },
    },
    ...overrides,
  };
}

export function clusterPolicy(spec: JsonObject = {}, extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p' },
    spec: { rules: [generateRule()], ...spec },
    ...extra,
  };
}

export function namespacedPolicy(spec: JsonObject = {}): JsonObject {
  return { ...clusterPolicy(spec), kind: 'Policy', metadata: { name: 'p', namespace: 'team' } };
}

/** Problems without the file and policy fields, for compact assertions. */
export function problemsOf(
  doc: JsonValue,
  options?: ValidatePolicyOptions,
): Pick<PolicyProblem, 'path' | 'message' | 'severity'>[] {
  return validatePolicy(doc, 'test.yaml', options).problems.map(({ path, message, severity }) => ({
    path,
    message,
    severity,
  }));
}
