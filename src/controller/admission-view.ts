// What every replica needs to answer admission, whether or not it leads: the requester's roles (from
// RoleBindings and ClusterRoleBindings), namespace labels (for namespaceSelector), and, when the
// controller runs on the leader only, the policies. One informer factory, read from caches: admission
// never waits on a list.
import type { UserInfo } from '../api/admission.js';
import type { ClusterClient } from '../cluster/client.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { PolicyStore } from './policy-store.js';
import type { RequesterRoles } from './requester-roles.js';
import { rolesFor } from './requester-roles.js';
import type { Informer } from './runtime/informer.js';
import { InformerFactory } from './runtime/informer-factory.js';

export const POLICY_KINDS = [
  { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' },
  { apiVersion: 'kyverno.io/v1', kind: 'Policy' },
];

export interface AdmissionViewOptions {
  cluster: ClusterClient;
  clock: Clock;
  logger: Logger;
  /** Kept current from the cluster when given (replicas whose controller may not run). */
  policies?: PolicyStore;
}

export class AdmissionView {
  private readonly factory: InformerFactory;
  private readonly roleBindings: Informer;
  private readonly clusterRoleBindings: Informer;
  private readonly namespaces: Informer;

  constructor(o: AdmissionViewOptions) {
    this.factory = new InformerFactory({ client: o.cluster, clock: o.clock, logger: o.logger.child({ component: 'admission-view' }) });
    this.roleBindings = this.factory.informerFor({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' });
    this.clusterRoleBindings = this.factory.informerFor({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' });
    this.namespaces = this.factory.informerFor({ apiVersion: 'v1', kind: 'Namespace' });
    const store = o.policies;
    if (store) {
      for (const ref of POLICY_KINDS) {
        this.factory.informerFor(ref).addHandlers({
          onAdd: (obj) => void store.upsert(obj),
          onUpdate: (_old, obj) => void store.upsert(obj),
          onDelete: (obj) => void store.remove(obj),
        });
      }
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.factory.run(signal);
  }

  hasSynced(): boolean {
    return this.factory.all().every((i) => i.hasSynced());
  }

  rolesOf(user: UserInfo): RequesterRoles {
    return rolesFor(user, this.roleBindings.list(), this.clusterRoleBindings.list());
  }

  namespaceLabels(namespace: string): Record<string, string> | undefined {
    return this.namespaces.get(namespace)?.metadata.labels;
  }
}
