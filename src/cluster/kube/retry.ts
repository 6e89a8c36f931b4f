// Retries of throttled (429) and failing (5xx) requests with capped exponential backoff. A
// Retry-After from the server wins over the computed delay, because the server knows when it will
// have capacity again.

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** Total tries including the first (default 5; 1 disables retries). */
  attempts?: number;
  /** First backoff delay (default 250 ms), doubled after each failure. */
  baseMs?: number;
  /** Largest computed backoff delay (default 10 s). */
  capMs?: number;
  /** Largest Retry-After honoured, so a confused server cannot park us for hours (default 60 s). */
  maxRetryAfterMs?: number;
}

/** What the caller decided about one try's outcome. */
export interface RetryDecision {
  retry: boolean;
  /** The server's Retry-After, in milliseconds. */
  retryAfterMs?: number;
}

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Delay before retry number `retry` (1-based): base * 2^(retry-1), capped. */
export function backoffMs(retry: number, baseMs: number, capMs: number): number {
  const exp = Math.min(retry - 1, 30);
  return Math.min(capMs, baseMs * 2 ** exp);
}

/** 429 and 5xx except 501 (Not Implemented will not start working on a second try). */
export function isRetriableStatus(code: number): boolean {
  return code === 429 || (code >= 500 && code !== 501);
}

export class RetryPolicy {
  readonly attempts: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: Sleep;

  constructor(options: RetryOptions = {}, sleep: Sleep = realSleep) {
    this.attempts = Math.max(1, Math.floor(options.attempts ?? 5));
    this.baseMs = options.baseMs ?? 250;
    this.capMs = options.capMs ?? 10_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.sleep = sleep;
  }

  delayFor(retry: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.maxRetryAfterMs);
    return backoffMs(retry, this.baseMs, this.capMs);
  }

  /**
   * Runs `attempt` until `decide` says the outcome is final or the tries run out, then returns the
   * last value or throws the last error. An aborted signal stops retrying at once.
   */
  async run<R>(
    attempt: () => Promise<R>,
    decide: (outcome: Outcome<R>) => RetryDecision,
    signal?: AbortSignal,
  ): Promise<R> {
    for (let tries = 1; ; tries++) {
      const outcome: Outcome<R> = await attempt().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const decision = decide(outcome);
      if (!decision.retry || tries >= this.attempts || signal?.aborted === true) {
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      await this.sleep(this.delayFor(tries, decision.retryAfterMs), signal);
    }
  }
}
