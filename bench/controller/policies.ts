// The policies of the controller benchmark: data rules Namespace → ConfigMap.
import type { KubeObject } from '../../src/api/kube.js';

export interface DataRuleOptions {
  synchronize: boolean;
  generateExisting: boolean;
}

function dataRule(name: string, o: DataRuleOptions): Record<string, unknown> {
  return {
    name,
    match: { any: [{ resources: { kinds: ['Namespace'] } }] },
    exclude: { any: [{ resources: { names: ['kube-*', 'sprout', 'default'] } }] },
    generate: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name,
      namespace: '{{request.object.metadata.name}}',
      synchronize: o.synchronize,
      generateExisting: o.generateExisting,
      data: { data: { owner: '{{request.object.metadata.name}}', tier: 'standard' } },
    },
  };
}

/** A ClusterPolicy with one data rule per name. */
export function dataPolicy(name: string, rules: string[], o: DataRuleOptions): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
    spec: { rules: rules.map((r) => dataRule(r, o)) },
  };
}

export const namespaceObject = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/** True once the policy's status has the Ready condition Sprout writes when it acts on the policy. */
export function isReady(policy: KubeObject): boolean {
  const status = (policy as { status?: { conditions?: { type?: string; status?: string }[] } }).status;
  return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
