// Runs N workers over a Workqueue. A handler that throws gets its key re-queued with backoff; one
// that succeeds resets the key's backoff. Keys are never dropped, however often they fail.
import type { Workqueue } from './workqueue.js';

/** What a handler may ask for besides success: look at the key again after a while. */
export interface HandlerResult {
  requeueAfterMs?: number;
}

export type KeyHandler = (key: string, signal: AbortSignal) => Promise<HandlerResult | void>;

export interface RunWorkersOptions {
  workers: number;
  handler: KeyHandler;
  signal: AbortSignal;
  /** Told about every failure (logging, Events); the key is already re-queued. */
  onError?: (key: string, error: unknown, attempts: number) => void;
}

/**
 * Resolves once `signal` aborted (or the queue shut down) and every in-flight handler finished.
 * The queue outlives its workers (leadership may come back): shut it down to cancel pending retries.
 */
export async function runWorkers(queue: Workqueue, options: RunWorkersOptions): Promise<void> {
  const { handler, signal, onError } = options;
  if (options.workers < 1) throw new Error('runWorkers needs at least one worker');
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get(signal);
      if (key === undefined) return;
      try {
        const result = await handler(key, signal);
        queue.forget(key);
        const after = result?.requeueAfterMs;
        if (after !== undefined) queue.addAfter(key, after);
      } catch (error) {
        queue.addRateLimited(key);
        try {
          onError?.(key, error, queue.numRequeues(key));
        } catch {
          // A failing error reporter must not stop the worker.
        }
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, () => worker()));
}
