import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome, RetryDecision } from './retry.js';
import { RetryPolicy, backoffMs, isRetriableStatus } from './retry.js';

function recorder(): { sleep: (ms: number) => Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return { sleep: (ms) => (slept.push(ms), Promise.resolve()), slept };
}

/** Answers the given status codes in turn; decides like the requester does for safe requests. */
function script(
  codes: number[],
  retryAfter?: number,
): { attempt: () => Promise<number>; decide: (o: Outcome<number>) => RetryDecision; calls: () => number } {
  let i = 0;
  return {
    attempt: () => Promise.resolve(codes[Math.min(i++, codes.length - 1)] ?? 200),
    decide: (o) =>
      o.ok && isRetriableStatus(o.value) ? { retry: true, retryAfterMs: retryAfter } : { retry: false },
    calls: () => i,
  };
}

describe('retry with capped exponential backoff', () => {
  it('backoffMs doubles from the base and stops at the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 40].map((n) => backoffMs(n, 100, 1_000)),
      [100, 200, 400, 800, 1000, 1000, 1000],
    );
  });

  it('which codes are retried', () => {
    const table: [number, boolean][] = [
      [200, false],
      [400, false],
      [404, false],
      [409, false],
      [410, false],
      [422, false],
      [429, true],
      [500, true],
      [501, false],
      [502, true],
      [503, true],
      [504, true],
    ];
    for (const [code, want] of table) assert.equal(isRetriableStatus(code), want, String(code));
  });

  it('retries 429 and 5xx until success, sleeping the backoff in between', async () => {
    const { sleep, slept } = recorder();
    const s = script([429, 500, 503, 200]);
    const policy = new RetryPolicy({ attempts: 5, baseMs: 10, capMs: 25 }, sleep);
    assert.equal(await policy.run(s.attempt, s.decide), 200);
    assert.deepEqual(slept, [10, 20, 25]);
    assert.equal(s.calls(), 4);
  });

  it('gives up after the configured attempts and returns the last answer', async () => {
    const { sleep, slept } = recorder();
    const s = script([503]);
    const policy = new RetryPolicy({ attempts: 3, baseMs: 1 }, sleep);
    assert.equal(await policy.run(s.attempt, s.decide), 503);
    assert.equal(s.calls(), 3);
    assert.equal(slept.length, 2);
  });

  it('attempts: 1 disables retries; final answers are not retried', async () => {
    const { sleep, slept } = recorder();
    const once = script([500, 200]);
    assert.equal(await new RetryPolicy({ attempts: 1 }, sleep).run(once.attempt, once.decide), 500);
    const final = script([409, 200]);
    assert.equal(await new RetryPolicy({}, sleep).run(final.attempt, final.decide), 409);
    assert.deepEqual(slept, []);
  });

  it('honours Retry-After over the computed delay, up to a maximum', async () => {
    const { sleep, slept } = recorder();
    const s = script([429, 200], 3_000);
    await new RetryPolicy({ baseMs: 10 }, sleep).run(s.attempt, s.decide);
    assert.deepEqual(slept, [3_000]);
    const long = script([429, 200], 3_600_000);
    await new RetryPolicy({ maxRetryAfterMs: 60_000 }, sleep).run(long.attempt, long.decide);
    assert.deepEqual(slept, [3_000, 60_000]);
  });

  it('rethrows the last error when errors are retriable but tries run out', async () => {
    const { sleep } = recorder();
    let calls = 0;
    const failing = (): Promise<number> => {
      calls++;
      return Promise.reject(new Error(`boom ${calls}`));
    };
    await assert.rejects(
      new RetryPolicy({ attempts: 2 }, sleep).run(failing, () => ({ retry: true })),
      /boom 2/,
    );
  });

  it('stops at once when the signal is aborted', async () => {
    const { sleep } = recorder();
    const ac = new AbortController();
    ac.abort();
    const s = script([503, 200]);
    assert.equal(await new RetryPolicy({}, sleep).run(s.attempt, s.decide, ac.signal), 503);
    assert.equal(s.calls(), 1);
  });
});
