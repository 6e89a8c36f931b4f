// Chainsaw's polling: try at once, then every interval, until success or the deadline.
import type { Clock } from './clock.js';

/** Chainsaw polls the cluster once a second. */
export const pollIntervalMs = 1000;

export interface Attempt<T> {
  done: boolean;
  value: T;
}

export interface PollOptions {
  clock: Clock;
  timeoutMs: number;
  intervalMs?: number;
}

/** Returns the successful attempt, or the last one when time ran out (always at least one try). */
export async function poll<T>(attempt: () => Promise<Attempt<T>>, options: PollOptions): Promise<Attempt<T>> {
  const interval = options.intervalMs ?? pollIntervalMs;
  const deadline = options.clock.now() + options.timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result.done) return result;
    const left = deadline - options.clock.now();
    if (left <= 0) return result;
    await options.clock.sleep(Math.min(interval, left));
  }
}
