// Keeps a PolicyStore current from the cluster. The generate controller has its own informers, but
// only on the leader; every replica answers admission, so every replica needs the policies too.
import type { ClusterClient } from '../cluster/client.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { InformerFactory } from './runtime/informer-factory.js';
import type { PolicyStore } from './policy-store.js';

export const POLICY_KINDS = [
  { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' },
  { apiVersion: 'kyverno.io/v1', kind: 'Policy' },
];

export class PolicyWatch {
  private readonly factory: InformerFactory;

  constructor(store: PolicyStore, o: { cluster: ClusterClient; clock: Clock; logger: Logger }) {
    this.factory = new InformerFactory({ client: o.cluster, clock: o.clock, logger: o.logger.child({ component: 'policy-watch' }) });
    for (const ref of POLICY_KINDS) {
      this.factory.informerFor(ref).addHandlers({
        onAdd: (obj) => void store.upsert(obj),
        onUpdate: (_old, obj) => void store.upsert(obj),
        onDelete: (obj) => void store.remove(obj),
      });
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.factory.run(signal);
  }

  hasSynced(): boolean {
    return this.factory.all().every((i) => i.hasSynced());
  }
}
