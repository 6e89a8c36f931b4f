// Snapshots: the whole store and the resourceVersion counter in one file, framed like the log
// (header, one record per object, footer with the count). Written to a temporary file, fsync'd and
// renamed over the old one, so a crash leaves either the old snapshot or the new one, never half.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../api/kube.js';
import type { PersistedState } from '../memory/journal.js';
import type { Located } from '../memory/store.js';
import { isCode, SNAPSHOT_FILE, SNAPSHOT_TEMP, syncDir } from './files.js';
import { CorruptDataError, decodeRecords, encodeRecord } from './record-format.js';

const FORMAT = 1;
/** Bytes serialised between writes: big enough to be efficient, small enough to keep serving. */
const CHUNK_BYTES = 1 << 20;

interface Header {
  snapshot: number;
  rv: number;
  count: number;
}

export async function writeSnapshot(dir: string, state: PersistedState): Promise<void> {
  const temp = join(dir, SNAPSHOT_TEMP);
  const handle = await open(temp, 'w');
  try {
    const header: Header = { snapshot: FORMAT, rv: state.rv, count: state.objects.length };
    let chunk: Buffer[] = [encodeRecord(header)];
    let size = 0;
    for (const { table, namespace, name, object } of state.objects) {
      const line = encodeRecord({ table, namespace, name, object });
      chunk.push(line);
      size += line.length;
      if (size >= CHUNK_BYTES) {
        // Awaiting the write also lets requests run between chunks of a big snapshot.
        await handle.writeFile(Buffer.concat(chunk));
        chunk = [];
        size = 0;
      }
    }
    chunk.push(encodeRecord({ end: state.objects.length }));
    await handle.writeFile(Buffer.concat(chunk));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, SNAPSHOT_FILE));
  await syncDir(dir);
}

/** The snapshot in `dir`, or undefined when there is none (a new data dir). */
export async function readSnapshot(dir: string): Promise<PersistedState | undefined> {
  const path = join(dir, SNAPSHOT_FILE);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return undefined;
    throw e;
  }
  const decoded = decodeRecords(buf, path);
  // A snapshot is renamed into place only when complete, so any damage is corruption.
  if (decoded.tornTail !== undefined) throw new CorruptDataError(path, decoded.validBytes, decoded.tornTail);
  const [header, ...rest] = decoded.payloads;
  const footer = rest.pop();
  if (!isHeader(header)) throw new CorruptDataError(path, 0, 'not a snapshot header');
  if (!isRecord(footer) || footer.end !== header.count || rest.length !== header.count)
    throw new CorruptDataError(path, decoded.validBytes, 'object count does not match the header');
  const objects: Located[] = [];
  for (const entry of rest) {
    if (!isLocated(entry)) throw new CorruptDataError(path, 0, 'malformed object record');
    objects.push(entry);
  }
  return { rv: header.rv, objects };
}

/** Removes a temporary file a crash left behind mid-snapshot. */
export async function removeSnapshotTemp(dir: string): Promise<void> {
  await rm(join(dir, SNAPSHOT_TEMP), { force: true });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHeader(v: unknown): v is Header {
  return (
    isRecord(v) && v.snapshot === FORMAT && Number.isSafeInteger(v.rv) && Number.isSafeInteger(v.count)
  );
}

export function isKubeObject(v: unknown): v is KubeObject {
  return isRecord(v) && isRecord(v.metadata);
}

function isLocated(v: unknown): v is Located {
  return (
    isRecord(v) &&
    typeof v.table === 'string' &&
    typeof v.namespace === 'string' &&
    typeof v.name === 'string' &&
    isKubeObject(v.object)
  );
}
