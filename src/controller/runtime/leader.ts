// Leader election on a coordination.k8s.io/v1 Lease, the protocol of client-go's leaderelection:
// a candidate takes the Lease when it is free or its holder has not renewed it for a lease
// duration (timed on the candidate's own clock from when it last saw the Lease change, so clock
// skew between replicas does not matter); the leader renews every retry period and steps down if
// it cannot renew within the renew deadline, which is shorter than the lease duration, so its work
// has stopped before anyone else may take over. Writes use resourceVersion (409 means retry).
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient, ObjectRef } from '../../cluster/client.js';
import { isConflict, isNotFound } from '../../cluster/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { silentLogger } from '../../platform/logger.js';
import type { LeaseRecord } from './lease.js';
import { formatMicroTime, LEASE_API_VERSION, leaseRecordOf, newLease, withLeaseRecord } from './lease.js';

export interface LeaderElectorOptions {
  client: ClusterClient;
  namespace: string;
  name: string;
  /** Unique per replica, e.g. the pod name. */
  identity: string;
  clock: Clock;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** In [0, 1): spreads candidates' retries up to 20% (default Math.random). */
  random?: () => number;
  logger?: Logger;
}

export interface LeaderCallbacks {
  /** Runs the leader's work; `signal` aborts when leadership ends. Awaited before stepping down. */
  onStartedLeading(signal: AbortSignal): Promise<void> | void;
  onStoppedLeading?(): void;
  /** Whenever the observed holder changes (including to this replica). */
  onNewLeader?(identity: string): void;
}

const CONFLICT_RETRIES = 3;

export class LeaderElector {
  private readonly client: ClusterClient;
  private readonly clock: Clock;
  private readonly identity: string;
  private readonly ref: ObjectRef;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly random: () => number;
  private readonly log: Logger;
  /** The Lease as last seen, and when (our clock) it last changed. */
  private observedVersion: string | undefined;
  private observedAt = 0;
  private observedHolder = '';
  private leading = false;

  constructor(options: LeaderElectorOptions) {
    this.client = options.client;
    this.clock = options.clock;
    this.identity = options.identity;
    this.ref = {
      apiVersion: LEASE_API_VERSION,
      kind: 'Lease',
      namespace: options.namespace,
      name: options.name,
    };
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.random = options.random ?? Math.random;
    this.log = (options.logger ?? silentLogger()).child({
      lease: `${options.namespace}/${options.name}`,
      identity: options.identity,
    });
    if (this.identity === '') throw new Error('leader election needs a non-empty identity');
    if (this.leaseDurationMs <= this.renewDeadlineMs)
      throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= this.retryPeriodMs * 1.2)
      throw new Error('renewDeadline must be greater than 1.2 × retryPeriod');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder as last observed ('' when free or unknown). */
  get observedLeader(): string {
    return this.observedHolder;
  }

  /**
   * Campaigns until `signal` aborts: leads while it can, steps down when it cannot renew, and
   * campaigns again. On abort, the leader's work is stopped first, then the Lease is released so
   * another replica takes over at its next retry instead of waiting for expiry.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal, callbacks))) return;
      this.leading = true;
      this.log.info('started leading');
      const term = new AbortController();
      const work = Promise.resolve()
        .then(() => callbacks.onStartedLeading(term.signal))
        .catch((err: unknown) => this.log.error({ err }, 'leader work failed'));
      await this.renewWhileLeading(signal, callbacks);
      term.abort();
      this.leading = false;
      await work;
      if (signal.aborted) await this.release();
      this.log.info('stopped leading');
      callbacks.onStoppedLeading?.();
    }
  }

  private async acquire(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(callbacks)) return true;
      await this.clock.sleep(this.retryPeriodMs * (1 + 0.2 * this.random()), signal);
    }
    return false;
  }

  /** Returns when leadership is lost or `signal` aborts. */
  private async renewWhileLeading(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    let renewedAt = this.clock.now();
    while (!signal.aborted) {
      await this.clock.sleep(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      if (await this.tryAcquireOrRenew(callbacks)) {
        renewedAt = this.clock.now();
        continue;
      }
      if (this.observedHolder !== '' && this.observedHolder !== this.identity) {
        this.log.warn({ holder: this.observedHolder }, 'lease taken by another replica');
        return;
      }
      if (this.clock.now() - renewedAt >= this.renewDeadlineMs) {
        this.log.warn('could not renew the lease within the renew deadline');
        return;
      }
    }
  }

  private async tryAcquireOrRenew(callbacks: LeaderCallbacks): Promise<boolean> {
    for (let attempt = 0; attempt <= CONFLICT_RETRIES; attempt++) {
      try {
        return await this.attempt(callbacks);
      } catch (err) {
        if (isConflict(err)) continue; // someone wrote the Lease since we read it: read again
        this.log.warn({ err }, 'lease read or write failed');
        return false;
      }
    }
    return false;
  }

  private async attempt(callbacks: LeaderCallbacks): Promise<boolean> {
    const now = this.clock.now();
    const mine = (previous: LeaseRecord | undefined): LeaseRecord => {
      const kept = previous?.holderIdentity === this.identity;
      return {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: kept ? previous.acquireTime : formatMicroTime(now),
        renewTime: formatMicroTime(now),
        leaseTransitions:
          previous === undefined ? 0 : kept ? previous.leaseTransitions : previous.leaseTransitions + 1,
      };
    };
    let lease: KubeObject;
    try {
      lease = await this.client.get(this.ref);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const created = await this.client.create(
        newLease(this.ref.namespace ?? '', this.ref.name, mine(undefined)),
      );
      this.observe(created, callbacks);
      return true;
    }
    this.observe(lease, callbacks);
    const current = leaseRecordOf(lease);
    const durationMs =
      current.leaseDurationSeconds > 0 ? current.leaseDurationSeconds * 1000 : this.leaseDurationMs;
    const heldByOther = current.holderIdentity !== '' && current.holderIdentity !== this.identity;
    if (heldByOther && now < this.observedAt + durationMs) return false;
    const updated = await this.client.update(withLeaseRecord(lease, mine(current)));
    this.observe(updated, callbacks);
    return true;
  }

  private observe(lease: KubeObject, callbacks: LeaderCallbacks): void {
    const version = lease.metadata.resourceVersion;
    if (version !== this.observedVersion) {
      this.observedVersion = version;
      this.observedAt = this.clock.now();
    }
    const holder = leaseRecordOf(lease).holderIdentity;
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder !== '') callbacks.onNewLeader?.(holder);
    }
  }

  /** Gives the Lease up if we still hold it, so the next candidate need not wait for expiry. */
  private async release(): Promise<void> {
    try {
      const lease = await this.client.get(this.ref);
      const current = leaseRecordOf(lease);
      if (current.holderIdentity !== this.identity) return;
      const now = formatMicroTime(this.clock.now());
      await this.client.update(
        withLeaseRecord(lease, {
          ...current,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
        }),
      );
      this.observedHolder = '';
      this.log.info('released the lease');
    } catch (err) {
      // Not fatal: the Lease expires on its own after its duration.
      this.log.warn({ err }, 'could not release the lease');
    }
  }
}
