// The layout of a data dir and the file-system steps that make it durable.
//   snapshot.dat            the compacted state at some resourceVersion S (replaced atomically)
//   wal-<first rv>.log      log segments; records with rv <= S are already in the snapshot
//   LOCK                    the pid of the server using the dir
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const SNAPSHOT_FILE = 'snapshot.dat';
export const SNAPSHOT_TEMP = 'snapshot.dat.tmp';
export const LOCK_FILE = 'LOCK';

const SEGMENT = /^wal-(\d{16})\.log$/;

export function segmentName(firstRv: number): string {
  return `wal-${String(firstRv).padStart(16, '0')}.log`;
}

export interface Segment {
  path: string;
  /** No record in the segment has a smaller resourceVersion. */
  firstRv: number;
}

/** Log segments in the order they were written. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const out: Segment[] = [];
  for (const name of await readdir(dir)) {
    const m = SEGMENT.exec(name);
    if (m?.[1] !== undefined) out.push({ path: join(dir, name), firstRv: Number(m[1]) });
  }
  return out.sort((a, b) => a.firstRv - b.firstRv);
}

/**
 * Makes created, renamed and removed directory entries durable: without it a crash can lose a new
 * file (or bring back an old one) even though its contents were fsync'd.
 */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (e) {
    // Some platforms (Windows) cannot fsync a directory; their rename is durable on its own.
    if (!isCode(e, 'EISDIR', 'EINVAL', 'EPERM', 'EBADF')) throw e;
  } finally {
    await handle.close();
  }
}

export function isCode(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && codes.includes(String((e as { code?: unknown }).code));
}
