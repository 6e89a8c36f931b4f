import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient } from '../../cluster/client.js';
import { internalError } from '../../cluster/errors.js';
import { MemoryCluster } from '../../cluster/memory/memory-cluster.js';
import { FakeClock } from '../../platform/clock.js';
import { LeaderElector } from './leader.js';
import type { LeaseRecord } from './lease.js';
import { formatMicroTime, leaseRecordOf, newLease, parseMicroTime } from './lease.js';

const LEASE = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: 'kube-system',
  name: 'sprout-controller',
};
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

interface Replica {
  elector: LeaderElector;
  /** Makes every API call of this replica fail (the replica is dead or partitioned). */
  kill(): void;
  /** Runs a hook before this replica's next update reaches the server. */
  beforeNextUpdate(hook: () => Promise<void>): void;
  stop(): Promise<void>;
  log: string[];
  /** Update calls that reached the server. */
  updates(): number;
}

function world(): { clock: FakeClock; cluster: MemoryCluster; lease: () => Promise<LeaseRecord> } {
  const clock = new FakeClock();
  const cluster = new MemoryCluster({ clock: () => new Date(clock.now()) });
  return { clock, cluster, lease: async () => leaseRecordOf(await cluster.get(LEASE)) };
}

function replica(cluster: ClusterClient, clock: FakeClock, identity: string): Replica {
  let dead = false;
  let hook: (() => Promise<void>) | undefined;
  let updates = 0;
  const client = new Proxy(cluster, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        if (dead) throw internalError('dial tcp: connection refused');
        if (prop === 'update' && hook !== undefined) {
          const run = hook;
          hook = undefined;
          await run();
        }
        if (prop === 'update') updates++;
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  const log: string[] = [];
  const elector = new LeaderElector({
    client,
    clock,
    identity,
    namespace: LEASE.namespace,
    name: LEASE.name,
    random: () => 0,
  });
  const ac = new AbortController();
  const running = elector.run(ac.signal, {
    onStartedLeading: async (signal) => {
      log.push(`start@${clock.now()}`);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      log.push(`work-stopped@${clock.now()}`);
    },
    onStoppedLeading: () => log.push(`stop@${clock.now()}`),
  });
  return {
    elector,
    log,
    updates: () => updates,
    kill: () => (dead = true),
    beforeNextUpdate: (h) => (hook = h),
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

describe('LeaderElector', () => {
  it('acquires a missing Lease and records holder, duration and MicroTimes', async () => {
    const { clock, cluster, lease } = world();
    const a = replica(cluster, clock, 'pod-a');
    await clock.settle();
    assert.equal(a.elector.isLeader(), true);
    assert.deepEqual(a.log, [`start@${clock.now()}`]);
    const record = await lease();
    assert.equal(record.holderIdentity, 'pod-a');
    assert.equal(record.leaseDurationSeconds, 15);
    assert.equal(record.leaseTransitions, 0);
    assert.match(record.acquireTime, MICRO_TIME);
    assert.equal(record.renewTime, record.acquireTime);
    assert.equal(parseMicroTime(record.renewTime), clock.now());
    await a.stop();
  });

  it('renews every retry period and keeps acquireTime', async () => {
    const { clock, cluster, lease } = world();
    const a = replica(cluster, clock, 'pod-a');
    await clock.settle();
    const first = await lease();
    await clock.advance(2000);
    const second = await lease();
    assert.equal(parseMicroTime(second.renewTime) - parseMicroTime(first.renewTime), 2000);
    await clock.advance(20_000);
    const later = await lease();
    assert.equal(later.acquireTime, first.acquireTime);
    assert.equal(later.leaseTransitions, 0);
    assert.equal(parseMicroTime(later.renewTime), clock.now());
    await a.stop();
  });

  it('keeps exactly one leader among two replicas on one cluster', async () => {
    const { clock, cluster } = world();
    const a = replica(cluster, clock, 'pod-a');
    const b = replica(cluster, clock, 'pod-b');
    for (let step = 0; step < 60; step++) {
      await clock.advance(1000);
      assert.equal(Number(a.elector.isLeader()) + Number(b.elector.isLeader()), 1, `at step ${step}`);
    }
    assert.equal(a.elector.observedLeader, b.elector.observedLeader);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('releases the Lease on shutdown, after its work stopped, so another replica takes over at once', async () => {
    const { clock, cluster, lease } = world();
    const a = replica(cluster, clock, 'pod-a');
    await clock.settle();
    const b = replica(cluster, clock, 'pod-b');
    await clock.advance(5000);
    assert.equal(b.elector.isLeader(), false);
    const stoppedAt = clock.now();
    await a.stop();
    assert.deepEqual(a.log.slice(1), [`work-stopped@${stoppedAt}`, `stop@${stoppedAt}`]);
    const released = await lease();
    assert.equal(released.holderIdentity, '');
    await clock.advance(2000);
    assert.equal(b.elector.isLeader(), true, 'within one retry period, not a lease duration');
    const taken = await lease();
    assert.equal(taken.holderIdentity, 'pod-b');
    assert.equal(taken.leaseTransitions, 1);
    await b.stop();
  });

  it('takes over within the lease duration when the holder dies; the old leader steps down first', async () => {
    const { clock, cluster, lease } = world();
    const a = replica(cluster, clock, 'pod-a');
    await clock.settle();
    const b = replica(cluster, clock, 'pod-b');
    await clock.advance(6000);
    const diedAt = clock.now();
    a.kill();
    let aStopped: number | undefined;
    let bStarted: number | undefined;
    for (let t = 0; t < 30_000 && bStarted === undefined; t += 500) {
      await clock.advance(500);
      if (aStopped === undefined && !a.elector.isLeader()) aStopped = clock.now();
      if (b.elector.isLeader()) bStarted = clock.now();
    }
    assert.ok(aStopped !== undefined && bStarted !== undefined);
    assert.ok(aStopped - diedAt <= 10_000 + 2000, `old leader stepped down after ${aStopped - diedAt} ms`);
    assert.ok(aStopped < bStarted, 'never two leaders at once');
    // B last saw the Lease change at A's last renewal (at most a retry period before death).
    assert.ok(bStarted - diedAt <= 15_000 + 2000, `took over after ${bStarted - diedAt} ms`);
    const record = await lease();
    assert.equal(record.holderIdentity, 'pod-b');
    assert.equal(record.leaseTransitions, 1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('retries a renewal that hits a 409 Conflict and stays leader', async () => {
    const { clock, cluster, lease } = world();
    const a = replica(cluster, clock, 'pod-a');
    await clock.settle();
    // Someone else (say kubectl annotate) writes the Lease between A's read and A's write.
    a.beforeNextUpdate(async () => {
      const current = await cluster.get(LEASE);
      await cluster.update({
        ...current,
        metadata: { ...current.metadata, annotations: { touched: 'yes' } },
      });
    });
    const before = a.updates();
    await clock.advance(2000);
    assert.equal(a.updates() - before, 2, 'a 409, then a successful retry');
    assert.equal(a.elector.isLeader(), true);
    const record = await lease();
    assert.equal(parseMicroTime(record.renewTime), clock.now(), 'renewed despite the conflict');
    assert.equal((await cluster.get(LEASE)).metadata.annotations?.touched, 'yes', 'the other write survived');
    await a.stop();
  });

  it('waits a full lease duration before taking a Lease from a holder that stopped renewing', async () => {
    const { clock, cluster, lease } = world();
    const stale: KubeObject = newLease(LEASE.namespace, LEASE.name, {
      holderIdentity: 'ghost',
      leaseDurationSeconds: 15,
      acquireTime: formatMicroTime(clock.now()),
      renewTime: formatMicroTime(clock.now()),
      leaseTransitions: 4,
    });
    await cluster.create(stale);
    const a = replica(cluster, clock, 'pod-a');
    await clock.advance(14_000);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.elector.observedLeader, 'ghost');
    await clock.advance(2000);
    assert.equal(a.elector.isLeader(), true);
    const record = await lease();
    assert.equal(record.holderIdentity, 'pod-a');
    assert.equal(record.leaseTransitions, 5);
    await a.stop();
  });
});

describe('MicroTime', () => {
  it('formats six fractional digits and parses any precision', () => {
    const ms = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
    assert.equal(formatMicroTime(ms), '2024-05-06T07:08:09.123000Z');
    const table: [string, number][] = [
      ['2024-05-06T07:08:09.123000Z', ms],
      ['2024-05-06T07:08:09.123456Z', ms],
      ['2024-05-06T07:08:09Z', ms - 123],
      ['2024-05-06T09:08:09.1+02:00', ms - 23],
    ];
    for (const [text, expected] of table) assert.equal(parseMicroTime(text), expected, text);
    assert.ok(Number.isNaN(parseMicroTime('yesterday')));
  });
});
