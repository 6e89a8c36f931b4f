// One timer for every review's timeout: fires late reviews, in order, and never finished ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deadlines } from './deadlines.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('deadlines fire for unfinished work only, in the order they were set', async () => {
  const d = new Deadlines(30);
  const fired: string[] = [];
  const a = d.add(() => fired.push('a'));
  d.add(() => fired.push('b'));
  const c = d.add(() => fired.push('c'));
  d.add(() => fired.push('d'));
  a.cancel();
  c.cancel();
  await wait(60);
  assert.deepEqual(fired, ['b', 'd']);
  assert.equal(d.size(), 0);
  // Cancelling after firing changes nothing.
  c.cancel();
  assert.deepEqual(fired, ['b', 'd']);
  d.close();
});

test('finished work at the head is forgotten at once, so the queue stays short', () => {
  const d = new Deadlines(10_000);
  for (let i = 0; i < 5000; i++) d.add(() => assert.fail('never due')).cancel();
  assert.equal(d.size(), 0);
  const open = d.add(() => undefined);
  const done = d.add(() => undefined);
  done.cancel();
  assert.equal(d.size(), 2, 'a finished entry behind an open one waits its turn');
  open.cancel();
  assert.equal(d.size(), 0);
  d.close();
});

test('a deadline added after an early one fires at its own time, not before', async () => {
  let now = 0;
  const d = new Deadlines(20, () => now);
  const fired: number[] = [];
  d.add(() => fired.push(now));
  now = 15;
  d.add(() => fired.push(now));
  now = 25;
  await wait(40);
  assert.deepEqual(fired, [25], 'only the first is due at t=25');
  now = 40;
  await wait(40);
  assert.deepEqual(fired, [25, 40]);
  d.close();
});

test('close stops pending deadlines', async () => {
  const d = new Deadlines(10);
  let fired = false;
  d.add(() => (fired = true));
  d.close();
  await wait(30);
  assert.equal(fired, false);
});
