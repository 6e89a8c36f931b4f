// Per-key capped exponential backoff (client-go's ItemExponentialFailureRateLimiter): the n-th
// consecutive failure of a key waits base * 2^(n-1), never more than the cap. A key that keeps
// failing stays at the cap forever; nothing here ever gives up on a key.

export interface BackoffOptions {
  /** First retry delay (default 5 ms). */
  baseMs?: number;
  /** Longest delay (default 5 minutes). */
  capMs?: number;
}

export const DEFAULT_BACKOFF_BASE_MS = 5;
export const DEFAULT_BACKOFF_CAP_MS = 5 * 60_000;

/** The delay before retry number `failures` (1-based), capped. */
export function backoffDelay(failures: number, baseMs: number, capMs: number): number {
  if (failures <= 0) return 0;
  // 2^1024 is Infinity; stop doubling long before that.
  const exponent = Math.min(failures - 1, 60);
  return Math.min(capMs, baseMs * 2 ** exponent);
}

export class ExponentialBackoff {
  private readonly failures = new Map<string, number>();
  readonly baseMs: number;
  readonly capMs: number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.capMs = options.capMs ?? DEFAULT_BACKOFF_CAP_MS;
    if (this.baseMs <= 0 || this.capMs < this.baseMs) throw new Error('backoff needs 0 < base <= cap');
  }

  /** Records one more failure of `key` and returns how long to wait before retrying it. */
  next(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    return backoffDelay(n, this.baseMs, this.capMs);
  }

  /** Consecutive failures of `key` so far. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Keys currently backing off (failed at least once since their last success). */
  get failingKeys(): number {
    return this.failures.size;
  }
}
