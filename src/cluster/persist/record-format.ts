// The record framing shared by the write-ahead log and snapshots: one line per record,
//   <crc32 of the payload, 8 hex digits> <payload length in bytes> <JSON payload>\n
// Text, so a data dir can be inspected with less/grep; JSON never contains a raw newline, so a
// record is always exactly one line. Length and checksum together catch torn and corrupted writes.
import * as zlib from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32Portable(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 is native from Node 20.15; older 20.x releases get the table version.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 (IEEE), as zlib and gzip compute it. */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 !== undefined ? nativeCrc32(data) >>> 0 : crc32Portable(data);
}

export class CorruptDataError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    why: string,
  ) {
    super(`${file}: corrupt record at byte ${offset}: ${why}`);
    this.name = 'CorruptDataError';
  }
}

/** One framed line for `payload` (any JSON-serialisable value). */
export function encodeRecord(payload: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const header = `${crc32(body).toString(16).padStart(8, '0')} ${body.length} `;
  return Buffer.concat([Buffer.from(header, 'latin1'), body, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');
const NL = 0x0a;
const SPACE = 0x20;

type Parsed = { ok: true; payload: unknown; end: number } | { ok: false; why: string };

/** Parses the record that starts at `offset`. */
function parseAt(buf: Buffer, offset: number): Parsed {
  const firstSpace = offset + 8;
  if (firstSpace >= buf.length) return { ok: false, why: 'truncated' };
  if (buf[firstSpace] !== SPACE) return { ok: false, why: 'bad header' };
  let secondSpace = firstSpace + 1;
  while (secondSpace < buf.length && secondSpace <= firstSpace + 12 && buf[secondSpace] !== SPACE) secondSpace++;
  if (secondSpace >= buf.length) return { ok: false, why: 'truncated' };
  if (buf[secondSpace] !== SPACE) return { ok: false, why: 'bad header' };
  const crcText = buf.toString('latin1', offset, firstSpace);
  const lengthText = buf.toString('latin1', firstSpace + 1, secondSpace);
  if (!/^[0-9a-f]{8}$/.test(crcText) || !/^\d{1,11}$/.test(lengthText)) return { ok: false, why: 'bad header' };
  const start = secondSpace + 1;
  const end = start + Number(lengthText);
  if (end >= buf.length) return { ok: false, why: 'truncated' };
  if (buf[end] !== NL) return { ok: false, why: 'length does not match' };
  const body = buf.subarray(start, end);
  if (crc32(body) !== parseInt(crcText, 16)) return { ok: false, why: 'checksum mismatch' };
  try {
    return { ok: true, payload: JSON.parse(body.toString('utf8')) as unknown, end: end + 1 };
  } catch {
    return { ok: false, why: 'not JSON' };
  }
}

/** Whether any intact record starts at a line boundary at or after `from`. */
function intactRecordAfter(buf: Buffer, from: number): boolean {
  for (let nl = buf.indexOf(NL, from); nl >= 0 && nl + 1 < buf.length; nl = buf.indexOf(NL, nl + 1)) {
    if (parseAt(buf, nl + 1).ok) return true;
  }
  return false;
}

export interface DecodedRecords {
  payloads: unknown[];
  /** Bytes of intact records from the start; anything after them is a torn tail. */
  validBytes: number;
  /** Why the tail was dropped, when there was one. */
  tornTail?: string;
}

/**
 * Decodes every record in `buf`. A damaged record with nothing intact after it is a write that a
 * crash cut short (never acknowledged, since acknowledgement follows fsync): it and the rest are
 * reported as a torn tail. A damaged record followed by intact ones is real corruption, and
 * silently skipping it could lose acknowledged writes, so that throws.
 */
export function decodeRecords(buf: Buffer, file: string): DecodedRecords {
  const payloads: unknown[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const parsed = parseAt(buf, offset);
    if (!parsed.ok) {
      if (intactRecordAfter(buf, offset)) throw new CorruptDataError(file, offset, parsed.why);
      return { payloads, validBytes: offset, tornTail: parsed.why };
    }
    payloads.push(parsed.payload);
    offset = parsed.end;
  }
  return { payloads, validBytes: offset };
}
