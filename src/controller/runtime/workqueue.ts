// A work queue of string keys with client-go's guarantees: a key waits in the queue at most once
// however often it is added; a key is never handed to two workers at once (added while being
// processed, it is queued again when `done`); failures back off per key, capped, and a key is never
// dropped. Level-triggered reconcilers only need "look at this key again", so keys carry no payload.
import type { Clock, TimerHandle } from '../../platform/clock.js';
import { ExponentialBackoff } from './rate-limit.js';
import type { BackoffOptions } from './rate-limit.js';

/** What the queue reports; see workqueue-metrics.ts for the Prometheus binding. */
export interface WorkqueueHooks {
  depth(depth: number): void;
  added(): void;
  retried(): void;
  workDone(seconds: number): void;
  /** Called once; the metrics layer polls `longestSeconds` when it is scraped. */
  trackLongestRunning(longestSeconds: () => number): void;
}

export interface WorkqueueOptions {
  /** Labels the queue's metrics. */
  name: string;
  clock: Clock;
  backoff?: BackoffOptions;
  hooks?: WorkqueueHooks;
}

export interface ShutdownOptions {
  /** Hand out the keys still queued before stopping (default: stop after in-flight keys finish). */
  drain?: boolean;
}

interface Waiter {
  resolve(key: string | undefined): void;
}

interface Delayed {
  readyAt: number;
  timer: TimerHandle;
}

export class Workqueue {
  readonly name: string;
  private readonly clock: Clock;
  private readonly hooks: WorkqueueHooks | undefined;
  private readonly backoff: ExponentialBackoff;
  /** FIFO of queued keys; `head` avoids O(n) shifts. */
  private queue: string[] = [];
  private head = 0;
  /** Keys that need processing: queued, or re-added while being processed. */
  private readonly dirty = new Set<string>();
  /** Keys being processed, with when they started. */
  private readonly processing = new Map<string, number>();
  private readonly delayed = new Map<string, Delayed>();
  private waiters: Waiter[] = [];
  private shuttingDown = false;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: WorkqueueOptions) {
    this.name = options.name;
    this.clock = options.clock;
    this.hooks = options.hooks;
    this.backoff = new ExponentialBackoff(options.backoff);
    this.hooks?.trackLongestRunning(() => this.longestRunningMs() / 1000);
  }

  /** Queues `key` unless it is already queued; ignored after shutdown. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.hooks?.added();
    if (this.processing.has(key)) return; // `done` queues it again
    this.queue.push(key);
    this.reportDepth();
    this.dispatch();
  }

  /** Queues `key` after `ms`; of several pending delays for one key, the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending !== undefined) {
      if (pending.readyAt <= readyAt) return;
      this.clock.clearTimeout(pending.timer);
    }
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { readyAt, timer });
  }

  /** Queues `key` after its next backoff delay (5 ms, 10 ms, 20 ms, ... up to the cap). */
  addRateLimited(key: string): void {
    if (this.shuttingDown) return;
    this.hooks?.retried();
    this.addAfter(key, this.backoff.next(key));
  }

  /** Resets `key`'s backoff after it succeeded. */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  /** Consecutive failed attempts of `key` since it last succeeded. */
  numRequeues(key: string): number {
    return this.backoff.failuresOf(key);
  }

  /**
   * The next key to process; wait for one if the queue is empty. Undefined once the queue shuts
   * down (after draining, if asked) or `signal` aborts. Call `done(key)` when finished with it.
   */
  get(signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted === true) return Promise.resolve(undefined);
    // A key is ready and nobody is waiting ahead of this caller: no waiter or abort listener needed.
    if (this.waiters.length === 0) {
      const ready = this.handOut();
      if (ready !== undefined) return Promise.resolve(ready);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve };
      if (signal !== undefined) {
        const onAbort = (): void => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.resolve = (key) => {
          signal.removeEventListener('abort', onAbort);
          resolve(key);
        };
      }
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /** Marks `key` finished; if it was added meanwhile, it is queued again now. */
  done(key: string): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.hooks?.workDone((this.clock.now() - started) / 1000);
    if (this.dirty.has(key)) {
      if (this.shuttingDown && !this.draining) this.dirty.delete(key);
      else {
        this.queue.push(key);
        this.reportDepth();
      }
    }
    this.dispatch();
    this.checkIdle();
  }

  /**
   * Stops accepting keys and cancels pending delays. Resolves once no key is being processed
   * (and, with `drain`, the queue is empty). Workers waiting in `get` receive undefined.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.shuttingDown = true;
    this.draining = this.draining || options.drain === true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    if (!this.draining) {
      for (const key of this.queued()) this.dirty.delete(key);
      this.queue = [];
      this.head = 0;
      this.reportDepth();
    }
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.dispatch();
    this.checkIdle();
    return idle;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Keys waiting to be handed out. */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Keys being processed right now. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Keys waiting for a delay (addAfter / backoff) to expire. */
  get delayedCount(): number {
    return this.delayed.size;
  }

  /** How long the oldest key still being processed has been at it (0 when idle). */
  longestRunningMs(): number {
    let oldest = Infinity;
    for (const started of this.processing.values()) oldest = Math.min(oldest, started);
    return oldest === Infinity ? 0 : this.clock.now() - oldest;
  }

  private queued(): string[] {
    return this.queue.slice(this.head);
  }

  private take(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.length > 0) {
      const waiter = this.waiters.shift();
      if (waiter === undefined) break;
      const key = this.handOut();
      if (key === undefined) break;
      waiter.resolve(key);
    }
    // While draining, a key in flight may be re-queued by `done`: keep workers until all is finished.
    const finished = this.length === 0 && (!this.draining || this.processing.size === 0);
    if (this.shuttingDown && finished) {
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w.resolve(undefined);
    }
  }

  /** Takes the next queued key and marks it in flight. */
  private handOut(): string | undefined {
    const key = this.take();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.set(key, this.clock.now());
    this.reportDepth();
    return key;
  }

  private checkIdle(): void {
    if (!this.shuttingDown || this.processing.size > 0 || this.length > 0) return;
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
  }

  private reportDepth(): void {
    this.hooks?.depth(this.length);
  }
}
