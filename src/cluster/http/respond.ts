// Writing responses: JSON bodies, Status objects for errors, and the mapping of any thrown value to
// the Status the API server would send (unknown failures become 500 InternalError, never a crash).
import type { ServerResponse } from 'node:http';
import { ClusterError, internalError } from '../errors.js';
import type { Status } from '../errors.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: Status): void {
  sendJson(res, status.code, status);
}

export function statusOf(e: unknown): Status {
  if (e instanceof ClusterError) return e.status;
  return internalError(e instanceof Error ? e.message : String(e)).status;
}

/** A Status reply for errors the typed-error module has no constructor for. */
export function plainStatus(code: number, reason: Status['reason'], message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export function successStatus(details: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: '', reason: '', code: 200 };
  if (details !== undefined) s.details = details;
  return s;
}

/** RFC 7234 warning header value, as apiserver formats admission warnings. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
