// A PolicyStore that says when its content changed. A webhook replica keeps its own store (fed by
// AdmissionView's informers) and must rewrite the webhook configurations when policies change, even
// though no generate controller runs in the process to announce it.
import type { KubeObject } from '../api/kube.js';
import type { PolicyChange } from '../controller/policy-store.js';
import { PolicyStore } from '../controller/policy-store.js';

export class ObservedPolicyStore extends PolicyStore {
  private readonly listeners = new Set<(change: PolicyChange) => void>();

  /** Called after every change that altered what the store holds (identical re-lists are silent). */
  onChange(listener: (change: PolicyChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  override upsert(obj: KubeObject): PolicyChange | undefined {
    return this.announce(super.upsert(obj));
  }

  override remove(obj: KubeObject): PolicyChange | undefined {
    return this.announce(super.remove(obj));
  }

  private announce(change: PolicyChange | undefined): PolicyChange | undefined {
    if (change) for (const l of this.listeners) l(change);
    return change;
  }
}
