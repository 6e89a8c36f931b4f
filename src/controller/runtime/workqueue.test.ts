import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../platform/clock.js';
import { Metrics } from '../../platform/metrics.js';
import { Workqueue } from './workqueue.js';
import { runWorkers } from './workers.js';
import { backoffDelay, DEFAULT_BACKOFF_CAP_MS } from './rate-limit.js';
import { workqueueMetrics } from './workqueue-metrics.js';

function newQueue(clock = new FakeClock(), capMs?: number): { queue: Workqueue; clock: FakeClock } {
  const backoff = capMs === undefined ? {} : { capMs };
  return { queue: new Workqueue({ name: 'test', clock, backoff }), clock };
}

describe('Workqueue', () => {
  it('queues a key once however often it is added', async () => {
    const { queue } = newQueue();
    for (const key of ['a', 'a', 'b', 'a', 'b', 'c']) queue.add(key);
    assert.equal(queue.length, 3);
    assert.deepEqual([await queue.get(), await queue.get(), await queue.get()], ['a', 'b', 'c']);
    assert.equal(queue.length, 0);
  });

  it('never hands a key being processed to a second worker; re-queues it on done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    assert.equal(await queue.get(), 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(queue.length, 0, 'a is in flight: the re-add waits for done');
    let second: string | undefined = 'unset';
    const pending = queue.get().then((k) => (second = k));
    await new Promise((r) => setImmediate(r));
    assert.equal(second, 'unset', 'no key is available while a is processed');
    queue.done('a');
    await pending;
    assert.equal(second, 'a');
    queue.done('a');
    assert.equal(queue.length + queue.inFlight, 0, 'processed once more, not twice');
  });

  it('runs many workers without ever processing one key concurrently', async () => {
    const clock = new FakeClock();
    const { queue } = newQueue(clock);
    const running = new Set<string>();
    const processed: string[] = [];
    let overlaps = 0;
    const ac = new AbortController();
    const done = runWorkers(queue, {
      workers: 4,
      signal: ac.signal,
      handler: async (key) => {
        if (running.has(key)) overlaps++;
        running.add(key);
        await clock.sleep(10);
        running.delete(key);
        processed.push(key);
      },
    });
    for (let round = 0; round < 5; round++) {
      for (const key of ['x', 'y', 'x', 'z', 'x']) queue.add(key);
      await clock.advance(3);
    }
    await clock.advance(100);
    ac.abort();
    await done;
    assert.equal(overlaps, 0);
    for (const key of ['x', 'y', 'z']) assert.ok(processed.includes(key));
    // x was added while in flight, so it ran again after its first run finished: never lost.
    assert.ok(processed.filter((k) => k === 'x').length >= 2);
  });

  it('backs off per key exponentially from 5 ms up to the cap', () => {
    const table: [number, number][] = [
      [0, 0],
      [1, 5],
      [2, 10],
      [3, 20],
      [10, 2560],
      [16, 163_840],
      [17, DEFAULT_BACKOFF_CAP_MS],
      [5000, DEFAULT_BACKOFF_CAP_MS],
    ];
    for (const [failures, expected] of table)
      assert.equal(backoffDelay(failures, 5, DEFAULT_BACKOFF_CAP_MS), expected, `failures=${failures}`);
  });

  it('re-adds a rate-limited key only after its backoff, and forget resets it', async () => {
    const { queue, clock } = newQueue(undefined, 40);
    const waits: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = clock.now();
      queue.addRateLimited('k');
      const due = clock.nextDue() ?? NaN;
      waits.push(due - before);
      await clock.advance(due - before - 1);
      assert.equal(queue.length, 0, 'not yet due');
      await clock.advance(1);
      assert.equal(await queue.get(), 'k');
      queue.done('k');
    }
    assert.deepEqual(waits, [5, 10, 20, 40, 40, 40]);
    assert.equal(queue.numRequeues('k'), 6);
    queue.forget('k');
    queue.addRateLimited('k');
    assert.equal((clock.nextDue() ?? NaN) - clock.now(), 5);
  });

  it('keeps a key that fails hundreds of times, at the capped backoff, and recovers', async () => {
    const { queue, clock } = newQueue(undefined, 1000);
    let attempts = 0;
    let healthy = false;
    const errors: number[] = [];
    const ac = new AbortController();
    const done = runWorkers(queue, {
      workers: 2,
      signal: ac.signal,
      handler: () => {
        attempts++;
        return healthy ? Promise.resolve() : Promise.reject(new Error('500 from the API server'));
      },
      onError: (_key, _error, n) => errors.push(n),
    });
    queue.add('ns/trigger');
    await clock.advance(300 * 1000);
    assert.ok(attempts >= 290, `attempts=${attempts}`);
    assert.equal(queue.delayedCount, 1, 'the key still waits for its next retry');
    assert.equal(clock.nextDue()! - clock.now() <= 1000, true, 'capped at 1 s');
    assert.deepEqual(errors.slice(0, 3), [1, 2, 3]);
    healthy = true;
    await clock.advance(1000);
    assert.equal(queue.numRequeues('ns/trigger'), 0, 'success forgets the backoff');
    assert.equal(queue.delayedCount + queue.length, 0);
    ac.abort();
    await done;
  });

  it('addAfter keeps the earliest of several delays for one key', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('k', 100);
    queue.addAfter('k', 50);
    queue.addAfter('k', 200);
    assert.equal(queue.delayedCount, 1);
    await clock.advance(50);
    assert.equal(queue.length, 1);
    await clock.advance(500);
    assert.equal(queue.length, 1, 'the later delays were folded into the first');
  });

  it('honours requeueAfterMs from a handler', async () => {
    const { queue, clock } = newQueue();
    const seen: number[] = [];
    const ac = new AbortController();
    const done = runWorkers(queue, {
      workers: 1,
      signal: ac.signal,
      handler: () => {
        seen.push(clock.now());
        return Promise.resolve({ requeueAfterMs: 1000 });
      },
    });
    const start = clock.now();
    queue.add('k');
    await clock.advance(3500);
    ac.abort();
    await done;
    assert.deepEqual(
      seen.map((t) => t - start),
      [0, 1000, 2000, 3000],
    );
  });

  it('shutdown without drain drops queued keys and waits for in-flight ones', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 10);
    assert.equal(await queue.get(), 'a');
    let stopped = false;
    const stopping = queue.shutdown().then(() => (stopped = true));
    assert.equal(await queue.get(), undefined);
    queue.add('d');
    assert.equal(queue.length, 0, 'adds after shutdown are ignored');
    assert.equal(queue.delayedCount, 0);
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, 'a is still in flight');
    queue.done('a');
    await stopping;
    assert.equal(stopped, true);
  });

  it('shutdown with drain hands out every queued key first', async () => {
    const { queue } = newQueue();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    const first = await queue.get();
    queue.add('a'); // re-added while in flight: processed again during the drain
    const stopping = queue.shutdown({ drain: true });
    queue.done(first!);
    const rest: string[] = [];
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      rest.push(key);
      queue.done(key);
    }
    await stopping;
    assert.deepEqual([first, ...rest], ['a', 'b', 'c', 'a']);
  });

  it('get returns undefined when its signal aborts', async () => {
    const { queue } = newQueue();
    const ac = new AbortController();
    const pending = queue.get(ac.signal);
    ac.abort();
    assert.equal(await pending, undefined);
    queue.add('a');
    assert.equal(queue.length, 1, 'the aborted waiter did not swallow the key');
  });

  it('reports depth, adds, retries, latency and the longest running key', async () => {
    const clock = new FakeClock();
    const metrics = new Metrics();
    const queue = new Workqueue({ name: 'generate', clock, hooks: workqueueMetrics(metrics, 'generate') });
    new Workqueue({ name: 'policy', clock, hooks: workqueueMetrics(metrics, 'policy') });
    queue.add('a');
    queue.add('a');
    queue.add('b');
    const key = await queue.get();
    await clock.advance(2500);
    let text = await metrics.expose();
    assert.match(text, /sprout_workqueue_depth\{name="generate"\} 1/);
    assert.match(text, /sprout_workqueue_adds_total\{name="generate"\} 2/);
    assert.match(text, /sprout_workqueue_longest_running_processor_seconds\{name="generate"\} 2.5/);
    assert.match(text, /sprout_workqueue_depth\{name="policy"\} 0/);
    queue.addRateLimited(key!);
    queue.done(key!);
    text = await metrics.expose();
    assert.match(text, /sprout_workqueue_retries_total\{name="generate"\} 1/);
    assert.match(text, /sprout_workqueue_work_duration_seconds_count\{name="generate"\} 1/);
    assert.match(text, /sprout_workqueue_work_duration_seconds_sum\{name="generate"\} 2.5/);
    assert.match(text, /sprout_workqueue_longest_running_processor_seconds\{name="generate"\} 0/);
  });
});
