// One place where every request passes: the client-side rate limit, retries of 429/5xx (and of
// connection failures when repeating is safe), and the mapping of failures to typed errors.
import type { IncomingMessage } from 'node:http';
import { ServerError } from '../errors.js';
import { NetworkError, errorFromResponse, retryAfterMs, statusFromResponse } from './http-errors.js';
import type { TokenBucket } from './rate-limiter.js';
import type { Outcome, RetryDecision, RetryPolicy } from './retry.js';
import { isRetriableStatus } from './retry.js';
import type { HttpRequest, HttpResponse, KubeTransport } from './transport.js';
import { readBody } from './transport.js';

export interface ApiRequest extends HttpRequest {
  /**
   * Repeating it cannot do harm (reads, server-side apply). Other requests are repeated only when
   * the server cannot have acted on them: throttled (429), unavailable (503), never connected.
   */
  safe: boolean;
}

/** Writes are repeated only on answers that mean "not done". */
const WRITE_RETRY_CODES = new Set([429, 503]);

function shouldRetryCode(code: number, safe: boolean): boolean {
  return safe ? isRetriableStatus(code) : WRITE_RETRY_CODES.has(code);
}

function decideError(error: unknown, safe: boolean): RetryDecision {
  return { retry: error instanceof NetworkError && (safe || error.neverSent) };
}

export class Requester {
  constructor(
    private readonly transport: KubeTransport,
    private readonly limiter: TokenBucket,
    private readonly retry: RetryPolicy,
    private readonly timeoutMs: number,
  ) {}

  get server(): string {
    return this.transport.server;
  }

  /** The whole answer of a successful request, parsed as JSON. @throws ClusterError */
  async json(req: ApiRequest): Promise<unknown> {
    const decide = (o: Outcome<HttpResponse>): RetryDecision => {
      if (!o.ok) return decideError(o.error, req.safe);
      if (!shouldRetryCode(o.value.status, req.safe)) return { retry: false };
      return {
        retry: true,
        retryAfterMs: retryAfterMs(
          o.value.headers['retry-after'],
          statusFromResponse(o.value.status, o.value.body),
        ),
      };
    };
    const res = await this.retry.run(
      async () => {
        await this.limiter.acquire(req.signal);
        return this.transport.send({ timeoutMs: this.timeoutMs, ...req });
      },
      decide,
      req.signal,
    );
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.body);
    try {
      return JSON.parse(res.body) as unknown;
    } catch {
      throw new ServerError(
        statusFromResponse(500, `the server sent a body that is not JSON: ${res.body.slice(0, 200)}`),
      );
    }
  }

  /** Opens a streaming request (a watch): the 2xx response with its body unread. @throws ClusterError */
  async stream(req: ApiRequest): Promise<IncomingMessage> {
    type Opened = { res: IncomingMessage; body?: string };
    const decide = (o: Outcome<Opened>): RetryDecision => {
      if (!o.ok) return decideError(o.error, req.safe);
      const code = o.value.res.statusCode ?? 0;
      if (o.value.body === undefined || !shouldRetryCode(code, req.safe)) return { retry: false };
      return {
        retry: true,
        retryAfterMs: retryAfterMs(
          o.value.res.headers['retry-after'],
          statusFromResponse(code, o.value.body),
        ),
      };
    };
    const opened = await this.retry.run(
      async (): Promise<Opened> => {
        await this.limiter.acquire(req.signal);
        const res = await this.transport.open(req);
        const code = res.statusCode ?? 0;
        if (code >= 200 && code <= 299) return { res };
        return { res, body: await readBody(res).catch(() => '') };
      },
      decide,
      req.signal,
    );
    if (opened.body !== undefined) throw errorFromResponse(opened.res.statusCode ?? 0, opened.body);
    return opened.res;
  }
}
