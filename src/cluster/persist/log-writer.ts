// The write-ahead log: appends one record per committed change and makes it durable with group
// commit. While one write+fdatasync is in flight, new records queue up; the next flush takes all
// of them, so concurrent writers share one fsync. sync() resolves once everything recorded before
// the call is on disk. After an I/O error the log is failed for good: a server whose memory is
// ahead of its disk must not acknowledge anything more.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry, WriteJournal } from '../memory/journal.js';
import { segmentName, syncDir } from './files.js';
import { encodeRecord } from './record-format.js';

interface Rotation {
  firstRv: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class LogWriter implements WriteJournal {
  private queue: (Buffer | Rotation)[] = [];
  /** Items (records and rotations) queued since open; `durable` counts those on disk. */
  private recorded = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private flushing = false;
  private failure: Error | undefined;
  private closed = false;
  private latestFirstRv: number;
  private segmentRecords = 0;
  private segmentBytes = 0;
  /** fdatasync calls so far (group commit makes this far smaller than the record count). */
  flushes = 0;
  /** Called after each flush, so the owner can decide to snapshot. */
  onFlushed: () => void = () => undefined;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    firstRv: number,
  ) {
    this.latestFirstRv = firstRv;
  }

  /** Starts a new, empty segment whose records will all have rv >= firstRv. */
  static async create(dir: string, firstRv: number): Promise<LogWriter> {
    const handle = await open(join(dir, segmentName(firstRv)), 'w');
    await syncDir(dir);
    return new LogWriter(dir, handle, firstRv);
  }

  /** Records and bytes in the newest segment (what a snapshot would let us drop). */
  get segmentSize(): { records: number; bytes: number } {
    return { records: this.segmentRecords, bytes: this.segmentBytes };
  }

  get segmentFirstRv(): number {
    return this.latestFirstRv;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  record(entry: JournalEntry): void {
    if (this.failure !== undefined) return;
    if (this.closed) {
      this.fail(new Error('write-ahead log is closed; the change was not persisted'));
      return;
    }
    const line = encodeRecord(entry);
    this.queue.push(line);
    this.recorded++;
    this.segmentRecords++;
    this.segmentBytes += line.length;
  }

  sync(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const target = this.recorded;
    if (this.durable >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      this.kick();
    });
  }

  /**
   * Starts a new segment for records from `firstRv` on, after everything recorded so far. Resolves
   * when the previous segment is complete on disk and closed (so it may be deleted once a
   * snapshot covers it).
   */
  rotate(firstRv: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (firstRv === this.latestFirstRv) return this.sync();
    this.latestFirstRv = firstRv;
    this.segmentRecords = 0;
    this.segmentBytes = 0;
    return new Promise((resolve, reject) => {
      this.queue.push({ firstRv, resolve, reject });
      this.recorded++;
      this.kick();
    });
  }

  /** Flushes what is queued and closes the file; later records fail the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sync();
    } finally {
      await this.handle.close().catch(() => undefined);
    }
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = true;
    // Start on the next turn of the event loop, not now: requests that arrived together (already
    // read from their sockets) then commit in the same fsync instead of one fsync each.
    setImmediate(() => void this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.failure === undefined) {
        const batch = this.queue;
        this.queue = [];
        const end = this.durable + batch.length;
        let lines: Buffer[] = [];
        for (const item of batch) {
          if (Buffer.isBuffer(item)) {
            lines.push(item);
            continue;
          }
          await this.append(lines);
          lines = [];
          await this.handle.close();
          this.handle = await open(join(this.dir, segmentName(item.firstRv)), 'w');
          await syncDir(this.dir);
          item.resolve();
        }
        await this.append(lines);
        this.durable = end;
        this.flushes++;
        while ((this.waiters[0]?.target ?? Infinity) <= this.durable) this.waiters.shift()?.resolve();
        this.onFlushed();
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.flushing = false;
    }
  }

  private async append(lines: Buffer[]): Promise<void> {
    if (lines.length === 0) return;
    await this.handle.writeFile(lines.length === 1 && lines[0] !== undefined ? lines[0] : Buffer.concat(lines));
    await this.handle.datasync();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiters) w.reject(this.failure);
    this.waiters = [];
    for (const item of this.queue) if (!Buffer.isBuffer(item)) item.reject(this.failure);
    this.queue = [];
  }
}
