// Whether an object the webhook allowed was stored. The API server may still reject it after the webhook
// (a later admission plugin such as ResourceQuota; a ReplicaSet then retries under new generated names),
// and an object no informer ever shows would keep its admission results, and report, forever. So every
// admitted object is checked once a grace period has passed.
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient } from '../../cluster/client.js';
import { NotFoundError } from '../../cluster/errors.js';
import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { Informer } from '../runtime/informer.js';
import type { ReportSubject } from './report-format.js';

/** One timer per admitted object (resource key and uid) until its check is due. */
export class AdmittedObjectTimers {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly graceMs: number,
    private readonly due: (key: string, uid: string) => void,
  ) {}

  schedule(key: string, uid: string): void {
    const id = `${key}\u0000${uid}`;
    if (this.timers.has(id)) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(id);
      this.due(key, uid);
    }, this.graceMs);
    this.timers.set(id, timer);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }
}

/**
 * 'unknown' when it cannot be told yet (the informer has not synced, or the API server failed): the
 * caller asks again later. Without an informer for the kind (a wildcard match) the API server is asked.
 */
export async function isStored(
  cluster: ClusterClient,
  informer: Informer | undefined,
  subject: ReportSubject,
): Promise<boolean | 'unknown'> {
  const at = { apiVersion: subject.apiVersion, kind: subject.kind, name: subject.name, ...(subject.namespace ? { namespace: subject.namespace } : {}) };
  let stored: KubeObject | undefined;
  if (informer) {
    if (!informer.hasSynced()) return 'unknown';
    stored = informer.get(at.namespace ? `${at.namespace}/${at.name}` : at.name);
  } else {
    try {
      stored = await cluster.get(at);
    } catch (e) {
      if (!(e instanceof NotFoundError)) return 'unknown';
    }
  }
  return stored?.metadata.uid === subject.uid;
}
