// Start-up: the snapshot, then every log record after it, in resourceVersion order. Every change
// takes the next resourceVersion, so records must be contiguous: a gap means lost data and stops
// the start rather than serving a state that silently misses acknowledged writes.
import { open, readFile, rm } from 'node:fs/promises';
import type { JournalEntry, PersistedState } from '../memory/journal.js';
import type { Located } from '../memory/store.js';
import { listSegments } from './files.js';
import { CorruptDataError, decodeRecords } from './record-format.js';
import { isKubeObject, isRecord, readSnapshot, removeSnapshotTemp } from './snapshot.js';

export interface Recovered {
  /** Undefined for a new data dir (no snapshot yet). */
  state: PersistedState | undefined;
  /** Log records applied on top of the snapshot. */
  replayed: number;
  /** The incomplete last record a crash left, cut off. */
  tornTail?: { file: string; offset: number; why: string };
}

const keyOf = (e: { table: string; namespace: string; name: string }): string =>
  `${e.table}\u0000${e.namespace}\u0000${e.name}`;

export async function recover(dir: string): Promise<Recovered> {
  await removeSnapshotTemp(dir);
  const snapshot = await readSnapshot(dir);
  const segments = await listSegments(dir);
  if (snapshot === undefined) {
    // The first snapshot is written before a new server serves anything, so log segments without
    // one hold only the start-up writes of an initialisation that never finished.
    for (const s of segments) await rm(s.path, { force: true });
    return { state: undefined, replayed: 0 };
  }
  const objects = new Map<string, Located>();
  for (const o of snapshot.objects) objects.set(keyOf(o), o);
  let rv = snapshot.rv;
  let replayed = 0;
  let tornTail: Recovered['tornTail'];
  for (const [i, segment] of segments.entries()) {
    const buf = await readFile(segment.path);
    const decoded = decodeRecords(buf, segment.path);
    if (decoded.tornTail !== undefined) {
      // Only the newest segment can be cut short; older ones were complete before it was opened.
      if (i !== segments.length - 1) throw new CorruptDataError(segment.path, decoded.validBytes, decoded.tornTail);
      tornTail = { file: segment.path, offset: decoded.validBytes, why: decoded.tornTail };
      await truncate(segment.path, decoded.validBytes);
    }
    for (const payload of decoded.payloads) {
      if (!isEntry(payload)) throw new CorruptDataError(segment.path, 0, 'malformed log record');
      if (payload.rv <= snapshot.rv) continue;
      if (payload.rv !== rv + 1)
        throw new CorruptDataError(segment.path, 0, `expected resourceVersion ${rv + 1}, found ${payload.rv}`);
      rv = payload.rv;
      replayed++;
      if (payload.object === undefined) objects.delete(keyOf(payload));
      else objects.set(keyOf(payload), { table: payload.table, namespace: payload.namespace, name: payload.name, object: payload.object });
    }
  }
  return { state: { rv, objects: [...objects.values()] }, replayed, tornTail };
}

async function truncate(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isEntry(v: unknown): v is JournalEntry {
  return (
    isRecord(v) &&
    Number.isSafeInteger(v.rv) &&
    typeof v.table === 'string' &&
    typeof v.namespace === 'string' &&
    typeof v.name === 'string' &&
    (v.object === undefined || isKubeObject(v.object))
  );
}
