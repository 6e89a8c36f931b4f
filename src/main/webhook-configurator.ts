// Keeps Sprout's webhook configurations equal to what the loaded policies need. Every webhook
// replica runs one; they all compute the same result from the same policies, and a write that loses
// a race to another replica (a conflict) is recomputed from the live object instead of dropped.
import type { KyvernoPolicy } from '../api/policy.js';
import type { ClusterClient } from '../cluster/client.js';
import { AlreadyExistsError, ConflictError } from '../cluster/errors.js';
import type { Logger } from '../platform/logger.js';
import type { WebhookTarget } from '../webhook/configurations.js';
import { applyConfigurations, desiredConfigurations } from '../webhook/configurations.js';

export interface WebhookConfiguratorOptions {
  cluster: ClusterClient;
  logger: Logger;
  /** The policies the configurations are computed from, read at each write. */
  policies: () => KyvernoPolicy[];
  target: WebhookTarget;
}

/** Races another replica can win; beyond this the next policy change or CA reload tries again. */
const MAX_ATTEMPTS = 5;

export class WebhookConfigurator {
  private current: WebhookTarget;
  private chain: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(private readonly o: WebhookConfiguratorOptions) {
    this.current = o.target;
  }

  get target(): WebhookTarget {
    return this.current;
  }

  /** A new target (a rotated CA); takes effect at the next write. */
  setTarget(target: WebhookTarget): void {
    this.current = target;
  }

  /** Schedules a write. Requests made while one is waiting fold into it; one arriving mid-write queues another. */
  request(): void {
    if (this.queued) return;
    this.queued = true;
    this.chain = this.chain
      .then(() => {
        this.queued = false;
        return this.write();
      })
      .catch((e: unknown) => this.o.logger.error({ err: e }, 'could not update webhook configurations'));
  }

  /** Resolves once every write requested so far has finished (successfully or logged). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async write(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const desired = await desiredConfigurations(this.o.policies(), this.o.cluster, this.current);
        await applyConfigurations(this.o.cluster, desired);
        return;
      } catch (e) {
        const raced = e instanceof ConflictError || e instanceof AlreadyExistsError;
        if (!raced || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }
}
