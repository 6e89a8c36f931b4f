import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './rate-limiter.js';

/** A clock that only moves when someone sleeps on it. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    slept,
  };
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces at qps', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 10, burst: 3 }, time.now, time.sleep);
    for (let i = 0; i < 3; i++) await bucket.acquire();
    assert.deepEqual(time.slept, []);
    await bucket.acquire();
    await bucket.acquire();
    assert.deepEqual(
      time.slept.map((ms) => Math.round(ms)),
      [100, 100],
    );
  });

  it('refills while idle, never above burst', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 5, burst: 2 }, time.now, time.sleep);
    await bucket.acquire();
    await bucket.acquire();
    await time.sleep(10_000);
    time.slept.length = 0;
    await bucket.acquire();
    await bucket.acquire();
    assert.deepEqual(time.slept, [], 'two saved tokens');
    await bucket.acquire();
    assert.equal(Math.round(time.slept[0] ?? 0), 200, 'the third waits 1/qps');
  });

  it('queues concurrent callers in order, each 1/qps after the previous', () => {
    const waits: number[] = [];
    const bucket = new TokenBucket(
      { qps: 4, burst: 1 },
      () => 0,
      (ms) => {
        waits.push(ms);
        return new Promise<void>(() => undefined);
      },
    );
    for (let i = 0; i < 4; i++) void bucket.acquire();
    assert.deepEqual(waits, [250, 500, 750]);
  });

  it('defaults to 50 qps with a burst of 100; qps 0 means unlimited', async () => {
    const limited = new TokenBucket();
    assert.equal(limited.qps, 50);
    assert.equal(limited.burst, 100);
    const time = fakeTime();
    const open = new TokenBucket({ qps: 0, burst: 1 }, time.now, time.sleep);
    for (let i = 0; i < 1000; i++) await open.acquire();
    assert.deepEqual(time.slept, []);
    assert.equal(open.peekDelayMs(), 0);
  });

  it('an aborted wait returns its reservation', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ qps: 1, burst: 1 }, time.now, () => Promise.resolve());
    await bucket.acquire();
    const ac = new AbortController();
    ac.abort();
    await bucket.acquire(ac.signal);
    assert.equal(bucket.peekDelayMs(), 1000, 'still one token short, not two');
  });
});
