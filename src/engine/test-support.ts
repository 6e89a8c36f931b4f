// Builders shared by the validate / mutate / autogen tests.
import type { JsonObject } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy, Rule } from '../api/policy.js';
import type { EvalEnv } from './env.js';
import { emptyLookup } from './env.js';

export const testEnv: EvalEnv = { now: () => 0, random: () => 0.5, lookup: emptyLookup };

export function podRule(name: string, body: Partial<Rule>): Rule {
  return { name, match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...body };
}

export function policyOf(
  rules: Rule[],
  spec: Partial<KyvernoPolicy['spec']> = {},
  annotations?: Record<string, string>,
): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'p', ...(annotations ? { annotations } : {}) },
    spec: { rules, ...spec },
  };
}

export function pod(name: string, spec: JsonObject, metadata: JsonObject = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...metadata }, spec };
}
