// Time as a port. Everything that waits or timestamps takes a Clock, so controllers run on real
// time in production and on a FakeClock in tests, where hours of backoff pass in microseconds.

/** An opaque timer identity; only the clock that made it can cancel it. */
export interface TimerHandle {
  readonly clockTimer: unknown;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after `ms`, or as soon as `signal` aborts (it never rejects: callers check the signal). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve();
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => ({ clockTimer: globalThis.setTimeout(fn, Math.max(0, ms)) }),
  clearTimeout: (handle) =>
    globalThis.clearTimeout(handle.clockTimer as ReturnType<typeof globalThis.setTimeout>),
  sleep: (ms, signal) => sleepOn(systemClock, ms, signal),
};

interface FakeTimer {
  readonly clockTimer: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets queued promise continuations and I/O callbacks (setImmediate, microtasks) run. */
async function settle(rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export interface FakeClockOptions {
  /** Start time in epoch ms (default 2024-01-01T00:00:00Z). */
  start?: number;
  /** setImmediate rounds run between timers so async code reacts before time moves on (default 20). */
  settleRounds?: number;
}

/**
 * A clock whose time moves only when a test says so. `advance` fires due timers in due order (ties
 * in creation order) with `now()` at each timer's due time, and lets async work settle after each,
 * so a loop of `await sleep(100)` advanced by 1000 ms runs ten times.
 */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  /** Sorted by (due, id). */
  private timers: FakeTimer[] = [];
  private readonly settleRounds: number;

  constructor(options: FakeClockOptions = {}) {
    this.time = options.start ?? Date.UTC(2024, 0, 1);
    this.settleRounds = options.settleRounds ?? 20;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { clockTimer: this.nextId++, due: this.time + Math.max(0, ms), fn };
    // Insert after every timer due at or before this one, keeping (due, id) order.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timers[mid]?.due ?? 0) <= timer.due) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const index = this.timers.indexOf(handle as FakeTimer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** How many timers are waiting. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** When the next timer is due, or undefined when none is waiting. */
  nextDue(): number | undefined {
    return this.timers[0]?.due;
  }

  /** Lets pending async work run without moving time. */
  async settle(): Promise<void> {
    await settle(this.settleRounds);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (also new ones). */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await this.settle();
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.due > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.due);
      next.fn();
      await this.settle();
    }
    this.time = Math.max(this.time, target);
    await this.settle();
  }

  /** Fires timers until none remain; throws after `limit` timers (a periodic loop never ends). */
  async runAll(limit = 10_000): Promise<void> {
    await this.settle();
    for (let fired = 0; ; fired++) {
      const next = this.timers[0];
      if (next === undefined) return;
      if (fired >= limit)
        throw new Error(`FakeClock.runAll: still ${this.timers.length} timers after ${limit}`);
      await this.advance(next.due - this.time);
    }
  }
}
