// The generate reconciler's unit of work: one rule of one policy for one trigger object.
import type { KubeObject } from '../../api/kube.js';

export interface TriggerRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Distinguishes a trigger from a later one with the same name; '' when unknown. */
  uid: string;
}

export interface GenerateKey {
  /** Kyverno's policy key: "name" or "ns/name". */
  policy: string;
  rule: string;
  trigger: TriggerRef;
}

export function triggerRefOf(obj: KubeObject): TriggerRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? '',
  };
}

export function encodeKey(k: GenerateKey): string {
  const t = k.trigger;
  return JSON.stringify([k.policy, k.rule, t.apiVersion, t.kind, t.namespace, t.name, t.uid]);
}

export function decodeKey(s: string): GenerateKey {
  const [policy, rule, apiVersion, kind, namespace, name, uid] = JSON.parse(s) as string[];
  return {
    policy: policy ?? '',
    rule: rule ?? '',
    trigger: {
      apiVersion: apiVersion ?? '',
      kind: kind ?? '',
      namespace: namespace ?? '',
      name: name ?? '',
      uid: uid ?? '',
    },
  };
}
