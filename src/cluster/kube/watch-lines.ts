// Watch responses are a stream of JSON documents, one per line, cut into chunks wherever the network
// felt like it: mid-line and even mid-character. Lines are split on the newline byte before
// decoding (0x0A never occurs inside a multi-byte UTF-8 sequence), so no character is torn.
import type { KubeObject } from '../../api/kube.js';
import type { WatchEvent, WatchEventType } from '../client.js';
import type { Status } from '../errors.js';
import { statusFromResponse } from './http-errors.js';

export class LineSplitter {
  private pending: Buffer[] = [];

  /** Feeds one chunk; returns the complete lines it finished (without their newlines). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      this.pending.push(chunk.subarray(start, nl));
      lines.push(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return lines;
  }

  /** What is left when the stream ends: a last line without a trailing newline, if any. */
  end(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const rest = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    return rest;
  }
}

const TYPES = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export class WatchDecodeError extends Error {
  constructor(line: string, why: string) {
    super(`undecodable watch event (${why}): ${line.slice(0, 200)}`);
    this.name = 'WatchDecodeError';
  }
}

/**
 * One line → one WatchEvent; undefined for a blank line (keep-alive). An ERROR event's object is
 * normalized into a full Status. `apiVersion`/`kind` are filled in when the server left them out.
 */
export function parseWatchLine(
  line: string,
  kind: { apiVersion: string; kind: string },
): WatchEvent | undefined {
  if (line.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new WatchDecodeError(line, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new WatchDecodeError(line, 'not an object');
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type as WatchEventType))
    throw new WatchDecodeError(line, 'unknown type');
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new WatchDecodeError(line, 'no object');
  }
  if (type === 'ERROR') {
    const code = (object as { code?: unknown }).code;
    const status: Status = statusFromResponse(
      typeof code === 'number' ? code : 500,
      JSON.stringify({ kind: 'Status', ...object }),
    );
    return { type: 'ERROR', object: status };
  }
  const obj = object as KubeObject;
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  if (obj.apiVersion === undefined) obj.apiVersion = kind.apiVersion;
  if (obj.kind === undefined) obj.kind = kind.kind;
  return { type: type as 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', object: obj };
}
