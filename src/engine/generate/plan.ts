// A GeneratePlan is what a generate rule wants to exist. The engine computes it; pipeline/ writes it.
import type { KubeObject, LabelSelector } from '../../api/kube.js';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped resources. */
  namespace: string;
  name: string;
}

export type GenerateTarget =
  /** `data`: the full object to create, management labels included. */
  | { type: 'data'; target: ResourceRef; object: KubeObject }
  /** `clone`: copy `source` to `target`. */
  | { type: 'clone'; target: ResourceRef; source: ResourceRef }
  /** `cloneList`: copy every matching source of `kinds` in `sourceNamespace` into `namespace`. */
  | {
      type: 'cloneList';
      namespace: string;
      sourceNamespace: string;
      kinds: string[];
      selector?: LabelSelector;
    };

export interface GeneratePlan {
  /** Kyverno's policy key: "ns/name" for a Policy, "name" for a ClusterPolicy. */
  policy: string;
  policyName: string;
  policyNamespace: string;
  rule: string;
  trigger: KubeObject;
  synchronize: boolean;
  orphanDownstreamOnPolicyDelete: boolean;
  useServerSideApply: boolean;
  /** Labels every downstream carries (policy, rule, trigger, managed-by). */
  labels: Record<string, string>;
  targets: GenerateTarget[];
  /** Per-target failures (e.g. one foreach element); other targets still proceed. */
  errors: string[];
}

export function refKey(r: ResourceRef): string {
  return `${r.apiVersion}/${r.kind}/${r.namespace}/${r.name}`;
}
