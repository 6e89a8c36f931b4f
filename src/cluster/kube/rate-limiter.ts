// Client-side rate limit: a token bucket like client-go's (qps tokens per second, up to `burst`
// saved up). Callers reserve a token and wait for it, so concurrent requests queue fairly in the
// order they asked instead of all waking at once.
import type { Sleep } from './retry.js';
import { realSleep } from './retry.js';

export interface RateLimitOptions {
  /** Sustained requests per second (default 50). 0 or Infinity: no limit. */
  qps?: number;
  /** Requests allowed at once after a quiet period (default 100). */
  burst?: number;
}

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(
    options: RateLimitOptions = {},
    now: () => number = () => performance.now(),
    sleep: Sleep = realSleep,
  ) {
    this.qps = options.qps ?? 50;
    this.burst = Math.max(1, Math.floor(options.burst ?? 100));
    this.now = now;
    this.sleep = sleep;
    this.tokens = this.burst;
    this.last = now();
  }

  get unlimited(): boolean {
    return !(this.qps > 0) || this.qps === Infinity;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }

  /** Milliseconds the next caller would wait for a token (0 when one is available). */
  peekDelayMs(): number {
    if (this.unlimited) return 0;
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.qps) * 1000;
  }

  /** Takes a token, waiting for it when the bucket is empty. An abort hands the reservation back. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.unlimited) return;
    this.refill();
    // Reserve now (tokens may go negative): later callers then queue behind this one.
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const waitMs = (-this.tokens / this.qps) * 1000;
    await this.sleep(waitMs, signal);
    if (signal?.aborted === true) this.tokens += 1;
  }
}
