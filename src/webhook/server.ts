// The admission webhook server: node:https, AdmissionReview in and out, health and metrics.
// Every request ends in a well-formed reply: bad bodies get 4xx with a reason, handler failures a
// review that follows the failure policy. The server never crashes on input.
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AdmissionRequest, AdmissionResponse } from '../api/admission.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { AdmissionMetrics } from './admission-metrics.js';
import { Deadlines } from './deadlines.js';
import { decodeReview, encodeReview } from './review.js';

export type AdmissionHandler = (req: AdmissionRequest) => Promise<AdmissionResponse>;

export interface WebhookRoutes {
  '/validate'?: AdmissionHandler;
  '/mutate'?: AdmissionHandler;
  '/policy-validate'?: AdmissionHandler;
  [path: string]: AdmissionHandler | undefined;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

export interface WebhookServerOptions {
  host?: string;
  port?: number;
  tls: TlsMaterial;
  routes: WebhookRoutes;
  logger: Logger;
  metrics: Metrics;
  /** Readiness: informers synced, policies loaded. */
  ready: () => boolean;
  maxBodyBytes?: number;
  /** A handler that takes longer than this answers by its failure policy (default 10 s). */
  timeoutMs?: number;
  /** What a handler failure answers: allow (Ignore) or deny (Fail). */
  failurePolicy?: (path: string) => 'Fail' | 'Ignore';
}

const MAX_BODY = 3 * 1024 * 1024;

export class WebhookServer {
  private server: Server | undefined;
  private readonly stats: AdmissionMetrics;
  private inFlight = 0;
  private readonly deadlines: Deadlines;

  constructor(private readonly o: WebhookServerOptions) {
    this.stats = new AdmissionMetrics(o.metrics);
    this.deadlines = new Deadlines(o.timeoutMs ?? 10_000);
  }

  async listen(): Promise<{ host: string; port: number }> {
    const server = createServer({ key: this.o.tls.key, cert: this.o.tls.cert }, (req, res) => {
      this.inFlight++;
      this.handle(req, res)
        .catch((e: unknown) => {
          this.o.logger.error({ err: e }, 'webhook handler crashed');
          if (!res.headersSent) reply(res, 500, { error: 'internal error' });
        })
        .finally(() => this.inFlight--);
    });
    // Slow clients must not hold sockets forever.
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.on('clientError', (_err, socket) => socket.destroy());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => resolve());
    });
    const addr = server.address() as AddressInfo;
    return { host: addr.address, port: addr.port };
  }

  /** Replaces the serving certificate without dropping connections (rotation). */
  setTls(tls: TlsMaterial): void {
    this.server?.setSecureContext({ key: tls.key, cert: tls.cert });
  }

  /** Stops accepting, then waits (bounded) for in-flight reviews to finish. */
  async close(drainMs = 5000): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = Date.now() + drainMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    server.closeAllConnections();
    await closed;
    this.deadlines.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz' || path === '/livez') return reply(res, 200, { status: 'ok' });
    if (path === '/readyz')
      return this.o.ready() ? reply(res, 200, { status: 'ready' }) : reply(res, 503, { status: 'not ready' });
    if (path === '/metrics') {
      const text = await this.o.metrics.expose();
      res.writeHead(200, { 'content-type': this.o.metrics.contentType });
      res.end(text);
      return;
    }
    const handler = this.o.routes[path];
    if (!handler) return reply(res, 404, { error: `no webhook at ${path}` });
    if (req.method !== 'POST') return reply(res, 405, { error: 'admission reviews are POSTed' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (type !== 'application/json')
      return reply(res, 415, { error: `content-type must be application/json, not ${type || 'empty'}` });
    const body = await readBody(req, this.o.maxBodyBytes ?? MAX_BODY);
    if (body === undefined)
      return reply(res, 413, { error: `request body larger than ${this.o.maxBodyBytes ?? MAX_BODY} bytes` });
    const decoded = decodeReview(body);
    if (!decoded.ok) {
      this.stats.malformed(path);
      return reply(res, 400, { error: decoded.reason, ...(decoded.uid ? { uid: decoded.uid } : {}) });
    }
    const started = process.hrtime.bigint();
    const response = await this.run(path, handler, decoded.request);
    this.stats.reviewed(path, decoded.request, response, Number(process.hrtime.bigint() - started) / 1e9);
    sendJson(res, 200, encodeReview(response));
  }

  private async run(
    path: string,
    handler: AdmissionHandler,
    req: AdmissionRequest,
  ): Promise<AdmissionResponse> {
    try {
      const result = await this.withDeadline(handler(req));
      if (result !== 'timeout') return { ...result, uid: req.uid };
      return this.failed(path, req, `webhook ${path} timed out after ${this.o.timeoutMs ?? 10_000} ms`);
    } catch (e) {
      this.o.logger.error({ err: e, path, uid: req.uid }, 'admission handler failed');
      return this.failed(path, req, `webhook ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private withDeadline(work: Promise<AdmissionResponse>): Promise<AdmissionResponse | 'timeout'> {
    return new Promise((resolve, reject) => {
      const deadline = this.deadlines.add(() => resolve('timeout'));
      work.then(
        (r) => {
          deadline.cancel();
          resolve(r);
        },
        (e: unknown) => {
          deadline.cancel();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private failed(path: string, req: AdmissionRequest, message: string): AdmissionResponse {
    const policy = this.o.failurePolicy?.(path) ?? 'Fail';
    if (policy === 'Ignore') return { uid: req.uid, allowed: true, warnings: [message] };
    return {
      uid: req.uid,
      allowed: false,
      status: { code: 500, message, status: 'Failure', reason: 'InternalError' },
    };
  }
}

function reply(res: ServerResponse, code: number, body: Record<string, unknown>): void {
  sendJson(res, code, JSON.stringify(body));
}

/**
 * With a content-length the reply leaves as one plain write (headers and body together); without
 * one Node falls back to chunked encoding, which adds framing writes to every review.
 */
function sendJson(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  // A string (not a Buffer) lets Node put the headers and the body into a single socket write.
  res.end(text);
}

/** Reads the whole body, or undefined when it exceeds `limit` (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooBig) return resolve(undefined);
      // A review usually arrives in one chunk: decode it without copying into a new buffer.
      const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      resolve(whole === undefined ? '' : whole.toString('utf8'));
    });
    req.on('error', reject);
  });
}
