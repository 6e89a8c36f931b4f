// Kubernetes Events for what users should see on their objects (kubectl describe): generate
// failures on the policy and the trigger. Repeats of the same event bump a count instead of piling up.
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient } from '../cluster/client.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../cluster/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';

export interface EventSpec {
  regarding: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly cluster: ClusterClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly component = 'sprout-generate',
  ) {}

  async record(e: EventSpec): Promise<void> {
    const ns = e.regarding.metadata.namespace || 'default';
    const id = `${e.regarding.kind}|${ns}|${e.regarding.metadata.name ?? ''}|${e.reason}|${e.message}`;
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    try {
      const existing = this.seen.get(id);
      if (existing) {
        try {
          const ev = await this.cluster.get({
            apiVersion: 'v1',
            kind: 'Event',
            namespace: ns,
            name: existing,
          });
          ev['count'] = (typeof ev['count'] === 'number' ? ev['count'] : 1) + 1;
          ev['lastTimestamp'] = now;
          await this.cluster.update(ev);
          return;
        } catch (err) {
          if (!(err instanceof NotFoundError) && !(err instanceof ConflictError)) throw err;
        }
      }
      const created = await this.cluster.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${e.regarding.metadata.name ?? 'object'}.`, namespace: ns },
        involvedObject: {
          apiVersion: e.regarding.apiVersion,
          kind: e.regarding.kind,
          name: e.regarding.metadata.name,
          namespace: e.regarding.metadata.namespace,
          uid: e.regarding.metadata.uid,
        },
        type: e.type,
        reason: e.reason,
        message: e.message,
        source: { component: this.component },
        reportingComponent: this.component,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
      });
      if (this.seen.size > 10_000) this.seen.clear();
      this.seen.set(id, created.metadata.name ?? '');
    } catch (err) {
      // Events are best effort: never let reporting break reconciliation.
      if (!(err instanceof AlreadyExistsError))
        this.log.warn({ err, reason: e.reason }, 'could not record event');
    }
  }
}
