// How MemoryCluster's synchronous work becomes the port's promises, and when those promises may
// settle when a journal persists the writes.
import type { WriteJournal } from './journal.js';

/** Runs synchronous work as a promise, turning throws into rejections. */
export function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * Runs `work` now, then resolves once the journal holds everything written so far, failure or
 * not. Reads wait too: they must not show a change a crash could still take back.
 */
export function durable<T>(journal: WriteJournal | undefined, work: () => T): Promise<T> {
  const result = run(work);
  if (journal === undefined) return result;
  const synced = journal.sync();
  return result.then(
    (value) => synced.then(() => value),
    (error: unknown) =>
      synced.then(() => {
        throw error;
      }),
  );
}
