// The policies the controller acts on, as validated KyvernoPolicy values keyed by Kyverno's policy key,
// with an index by trigger kind. Fed by informers on ClusterPolicy and Policy.
import type { JsonValue } from '../api/json.js';
import type { GroupVersionKind, KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import { policyKey } from '../api/policy.js';
import { PolicyIndex } from '../engine/policy-index.js';
import type { PolicyProblem } from '../policy/problems.js';
import { validatePolicy } from '../policy/validate.js';

export interface PolicyChange {
  key: string;
  before?: KyvernoPolicy;
  after?: KyvernoPolicy;
  /** The object as stored, for status writes. */
  object?: KubeObject;
  /** Why the new version was rejected (it then counts as absent). */
  problems?: PolicyProblem[];
}

export class PolicyStore {
  private readonly policies = new Map<string, KyvernoPolicy>();
  private index = new PolicyIndex([]);

  get(key: string): KyvernoPolicy | undefined {
    return this.policies.get(key);
  }

  all(): KyvernoPolicy[] {
    return [...this.policies.values()];
  }

  candidates(gvk: GroupVersionKind, subresource = ''): KyvernoPolicy[] {
    return this.index.candidates(gvk, subresource);
  }

  /** Applies an informer add/update; returns what changed (undefined when the spec did not). */
  upsert(obj: KubeObject): PolicyChange | undefined {
    const { policy, problems } = validatePolicy(
      obj as unknown as JsonValue,
      `${obj.kind}/${obj.metadata.name ?? ''}`,
    );
    const key = policyKey({
      kind: obj.kind as KyvernoPolicy['kind'],
      metadata: { ...obj.metadata, name: obj.metadata.name ?? '' },
    });
    const before = this.policies.get(key);
    const errors = problems.filter((p) => p.severity === 'error');
    if (!policy || errors.length > 0) {
      if (before) this.set(key, undefined);
      return { key, before, object: obj, problems: errors };
    }
    if (before && JSON.stringify(before.spec) === JSON.stringify(policy.spec)) {
      this.policies.set(key, policy);
      return undefined;
    }
    this.set(key, policy);
    return { key, before, after: policy, object: obj };
  }

  remove(obj: KubeObject): PolicyChange | undefined {
    const key = policyKey({
      kind: obj.kind as KyvernoPolicy['kind'],
      metadata: { ...obj.metadata, name: obj.metadata.name ?? '' },
    });
    const before = this.policies.get(key);
    if (!before) return undefined;
    this.set(key, undefined);
    return { key, before };
  }

  private set(key: string, policy: KyvernoPolicy | undefined): void {
    if (policy) this.policies.set(key, policy);
    else this.policies.delete(key);
    this.index = new PolicyIndex(this.all());
  }
}
