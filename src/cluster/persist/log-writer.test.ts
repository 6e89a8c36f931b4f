import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { JournalEntry } from '../memory/journal.js';
import { listSegments } from './files.js';
import { LogWriter } from './log-writer.js';
import { decodeRecords } from './record-format.js';

const entry = (rv: number): JournalEntry => ({
  rv,
  table: '/configmaps',
  namespace: 'default',
  name: `cm-${rv}`,
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${rv}`, resourceVersion: String(rv) } },
});

async function rvsIn(path: string): Promise<number[]> {
  return decodeRecords(await readFile(path), path).payloads.map((p) => (p as JournalEntry).rv);
}

describe('LogWriter', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sprout-wal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sync resolves once the records are in the file', async () => {
    const log = await LogWriter.create(dir, 1);
    log.record(entry(1));
    log.record(entry(2));
    await log.sync();
    const [segment] = await listSegments(dir);
    assert.deepEqual(await rvsIn(segment?.path ?? ''), [1, 2]);
    await log.close();
  });

  it('group commit: concurrent writers share fsyncs and keep their order', async () => {
    const log = await LogWriter.create(dir, 1);
    const acks: Promise<void>[] = [];
    for (let rv = 1; rv <= 200; rv++) {
      log.record(entry(rv));
      acks.push(log.sync());
      // Some writers arrive while a flush is in flight.
      if (rv % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(acks);
    assert.ok(log.flushes < 20, `200 records took ${log.flushes} fsyncs`);
    const [segment] = await listSegments(dir);
    assert.deepEqual(await rvsIn(segment?.path ?? ''), Array.from({ length: 200 }, (_, i) => i + 1));
    await log.close();
  });

  it('sync with nothing recorded resolves at once, without an fsync', async () => {
    const log = await LogWriter.create(dir, 1);
    await log.sync();
    assert.equal(log.flushes, 0);
    await log.close();
  });

  it('rotation starts a new segment after everything recorded before it', async () => {
    const log = await LogWriter.create(dir, 1);
    for (let rv = 1; rv <= 3; rv++) log.record(entry(rv));
    const rotated = log.rotate(4);
    for (let rv = 4; rv <= 5; rv++) log.record(entry(rv));
    await Promise.all([rotated, log.sync()]);
    const segments = await listSegments(dir);
    assert.deepEqual(segments.map((s) => s.firstRv), [1, 4]);
    assert.deepEqual(await rvsIn(segments[0]?.path ?? ''), [1, 2, 3]);
    assert.deepEqual(await rvsIn(segments[1]?.path ?? ''), [4, 5]);
    assert.deepEqual(log.segmentSize.records, 2);
    await log.close();
  });

  it('rotating to the segment already being written is a no-op', async () => {
    const log = await LogWriter.create(dir, 7);
    await log.rotate(7);
    assert.deepEqual((await listSegments(dir)).map((s) => s.firstRv), [7]);
    await log.close();
  });

  it('a record after close fails the log: nothing more is acknowledged', async () => {
    const log = await LogWriter.create(dir, 1);
    await log.close();
    log.record(entry(1));
    await assert.rejects(log.sync(), /closed/);
    await assert.rejects(log.sync(), /closed/);
    assert.ok(log.failed instanceof Error);
  });
});
