import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, systemClock } from './clock.js';

describe('FakeClock', () => {
  it('fires due timers in due order, ties in creation order, with now() at each due time', async () => {
    const clock = new FakeClock({ start: 1000 });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 20);
    clock.clearTimeout(cancelled);
    await clock.advance(25);
    assert.deepEqual(fired, ['a@1010', 'b@1010']);
    assert.equal(clock.now(), 1025);
    await clock.advance(5);
    assert.deepEqual(fired, ['a@1010', 'b@1010', 'c@1030']);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('lets async loops run once per period while time advances', async () => {
    const clock = new FakeClock();
    let ticks = 0;
    const ac = new AbortController();
    const loop = (async () => {
      while (!ac.signal.aborted) {
        await clock.sleep(100, ac.signal);
        if (!ac.signal.aborted) ticks++;
      }
    })();
    await clock.advance(1000);
    assert.equal(ticks, 10);
    ac.abort();
    await loop;
    assert.equal(clock.pendingTimers(), 0, 'an aborted sleep cancels its timer');
  });

  it('runAll drains chains of timers and refuses endless ones', async () => {
    const clock = new FakeClock({ start: 0 });
    const fired: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 50), 50);
    await clock.runAll();
    assert.deepEqual(fired, [100]);
    const forever = (): void => void clock.setTimeout(forever, 1);
    forever();
    await assert.rejects(clock.runAll(100), /still 1 timers after 100/);
  });

  it('sleep resolves at once when the signal is already aborted', async () => {
    const clock = new FakeClock();
    await clock.sleep(1_000_000, AbortSignal.abort());
    assert.equal(clock.pendingTimers(), 0);
  });
});

describe('systemClock', () => {
  it('sleeps on real time and can be cancelled', async () => {
    const start = systemClock.now();
    await systemClock.sleep(5);
    assert.ok(systemClock.now() - start >= 4);
    let fired = false;
    const handle = systemClock.setTimeout(() => (fired = true), 1);
    systemClock.clearTimeout(handle);
    await systemClock.sleep(10);
    assert.equal(fired, false);
  });
});
