// A MemoryCluster whose state lives in a data dir: every committed change goes to the write-ahead
// log and is fsync'd before the call that made it resolves; snapshots compact the log once it has
// grown; on open, the snapshot and the log rebuild the store and the resourceVersion counter.
import { mkdir, rm } from 'node:fs/promises';
import { MemoryCluster } from '../memory/index.js';
import type { MemoryClusterOptions } from '../memory/index.js';
import { listSegments, syncDir } from './files.js';
import { lockDataDir } from './lock.js';
import { LogWriter } from './log-writer.js';
import type { Recovered } from './recovery.js';
import { recover } from './recovery.js';
import { writeSnapshot } from './snapshot.js';

export interface DurableClusterOptions {
  dir: string;
  clusterOptions?: Omit<MemoryClusterOptions, 'journal' | 'restore'>;
  /** Snapshot once the newest log segment holds this many records. Default 50,000. */
  snapshotAfterRecords?: number;
  /** ... or this many bytes. Default 64 MiB. */
  snapshotAfterBytes?: number;
}

export interface DurableStats {
  /** Log records replayed at open, on top of the snapshot. */
  replayed: number;
  /** fdatasync calls on the log since open (group commit: fewer than the writes). */
  logFlushes: number;
  snapshots: number;
  /** The last background snapshot failure (the log still holds everything). */
  snapshotError?: Error;
}

export interface DurableCluster {
  cluster: MemoryCluster;
  /** Whether the state came from the data dir (false: a new dir, initialised now). */
  restored: boolean;
  /** What start-up found, including a torn last record it cut off. */
  recovered: Recovered;
  /** Writes a snapshot of the current state and drops the log it covers. */
  snapshot(): Promise<void>;
  stats(): DurableStats;
  /**
   * Final snapshot (unless `snapshot: false`, which leaves the log to replay, as after a crash),
   * log closed, lock released. Writes after this fail.
   */
  close(options?: { snapshot?: boolean }): Promise<void>;
}

export async function openDurableCluster(options: DurableClusterOptions): Promise<DurableCluster> {
  const { dir } = options;
  await mkdir(dir, { recursive: true });
  const unlock = await lockDataDir(dir);
  try {
    const recovered = await recover(dir);
    const writer = await LogWriter.create(dir, (recovered.state?.rv ?? 0) + 1);
    const cluster = new MemoryCluster({ ...options.clusterOptions, journal: writer, restore: recovered.state });
    const durable = new Durable(dir, cluster, writer, recovered, unlock, options);
    // A new dir counts as initialised once its first snapshot exists (see recover()).
    if (recovered.state === undefined) await durable.snapshot();
    else await writer.sync();
    return durable;
  } catch (e) {
    await unlock();
    throw e;
  }
}

class Durable implements DurableCluster {
  readonly restored: boolean;
  private snapshots = 0;
  private snapshotError: Error | undefined;
  private lastSnapshotRv = -1;
  /** Snapshots run one after another. */
  private chain: Promise<void> = Promise.resolve();
  private autoSnapshotPending = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    readonly cluster: MemoryCluster,
    private readonly writer: LogWriter,
    readonly recovered: Recovered,
    private readonly unlock: () => Promise<void>,
    options: DurableClusterOptions,
  ) {
    this.restored = recovered.state !== undefined;
    const maxRecords = options.snapshotAfterRecords ?? 50_000;
    const maxBytes = options.snapshotAfterBytes ?? 64 * 1024 * 1024;
    writer.onFlushed = () => {
      const size = writer.segmentSize;
      if (this.autoSnapshotPending || this.closing !== undefined) return;
      if (size.records < maxRecords && size.bytes < maxBytes) return;
      this.autoSnapshotPending = true;
      // Not from inside the flush loop: capture the state between requests.
      setImmediate(() => {
        this.snapshot()
          .catch((e: unknown) => {
            this.snapshotError = e instanceof Error ? e : new Error(String(e));
          })
          .finally(() => (this.autoSnapshotPending = false));
      });
    };
  }

  snapshot(): Promise<void> {
    const next = this.chain.then(() => this.takeSnapshot());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async takeSnapshot(): Promise<void> {
    // State capture and log rotation happen in the same tick: records up to rv are in the
    // snapshot, everything after goes to the new segment.
    const state = this.cluster.persistedState();
    if (state.rv === this.lastSnapshotRv) return;
    const rotated = this.writer.rotate(state.rv + 1);
    await writeSnapshot(this.dir, state);
    await rotated;
    this.lastSnapshotRv = state.rv;
    this.snapshots++;
    for (const segment of await listSegments(this.dir))
      if (segment.firstRv <= state.rv) await rm(segment.path, { force: true });
    await syncDir(this.dir);
  }

  stats(): DurableStats {
    return {
      replayed: this.recovered.replayed,
      logFlushes: this.writer.flushes,
      snapshots: this.snapshots,
      snapshotError: this.snapshotError,
    };
  }

  close(options: { snapshot?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (this.writer.failed === undefined && options.snapshot !== false) await this.snapshot();
      } finally {
        try {
          await this.writer.close();
        } finally {
          await this.unlock();
        }
      }
    })();
    return this.closing;
  }
}
