// Turns what came back over the wire into the typed errors of ../errors.ts: a Status body is
// rebuilt as is; anything else (a proxy's HTML page, an empty 503) gets the Status client-go would
// synthesize for it, and a request that never got an answer becomes a 503-coded ServerError.
import type { ClusterError, Status, StatusReason } from '../errors.js';
import { ServerError, errorFromStatus } from '../errors.js';

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isStatus(value: unknown): value is Partial<Status> & { kind: 'Status' } {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function genericMessage(code: number, body: string): string {
  if (code === 404) return 'the server could not find the requested resource';
  const trimmed = body.trim().slice(0, 256);
  if (code >= 500 && trimmed !== '') {
    return `an error on the server ("${trimmed}") has prevented the request from succeeding`;
  }
  if (trimmed !== '') return trimmed;
  return `the server responded with the status code ${code} but did not return more information`;
}

/** The Status for a non-2xx answer: the body's own when it sent one, a synthesized one otherwise. */
export function statusFromResponse(code: number, body: string): Status {
  const parsed = parseJson(body);
  if (isStatus(parsed)) {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: parsed.metadata ?? {},
      status: parsed.status ?? 'Failure',
      message: parsed.message ?? '',
      reason: parsed.reason ?? REASONS[code] ?? '',
      // Some proxies rewrite the HTTP code but not the body; the body's code is the server's word.
      code: typeof parsed.code === 'number' && parsed.code !== 0 ? parsed.code : code,
    };
    if (parsed.details !== undefined) s.details = parsed.details;
    return s;
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: genericMessage(code, body),
    reason: REASONS[code] ?? (code >= 500 ? 'InternalError' : ''),
    code,
  };
}

export function errorFromResponse(code: number, body: string): ClusterError {
  return errorFromStatus(statusFromResponse(code, body));
}

/** The request never got an answer (refused, reset, TLS failure, timeout). */
export class NetworkError extends ServerError {
  /** The system error code ("ECONNREFUSED", "ECONNRESET", ...) when there is one. */
  readonly errno: string | undefined;
  /** The request went out on a kept-alive connection that the server had already closed. */
  private readonly staleConnection: boolean;
  constructor(server: string, cause: unknown, reusedSocket = false) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `unable to reach the API server at ${server}: ${message}`,
      reason: 'ServiceUnavailable',
      code: 503,
    });
    this.name = 'NetworkError';
    const errno = (cause as { code?: unknown } | null)?.code;
    this.errno = typeof errno === 'string' ? errno : undefined;
    this.staleConnection = reusedSocket && this.errno === 'ECONNRESET';
    this.cause = cause;
  }

  /** True when the server cannot have seen the request, so even a create may be sent again. */
  get neverSent(): boolean {
    // A reset on a reused keep-alive socket is the server closing an idle connection as we sent
    // on it: Node's documentation recommends retrying exactly that case.
    if (this.staleConnection) return true;
    return this.errno === 'ECONNREFUSED' || this.errno === 'ENOTFOUND' || this.errno === 'EAI_AGAIN';
  }
}

/** Seconds from a Retry-After header (delta-seconds form) or the Status details, if any. */
export function retryAfterMs(header: string | string[] | undefined, status?: Status): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const fromDetails = status?.details?.retryAfterSeconds;
  return typeof fromDetails === 'number' && fromDetails > 0 ? fromDetails * 1000 : undefined;
}
