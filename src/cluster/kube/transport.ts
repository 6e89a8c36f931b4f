// HTTP(S) to the API server with the credentials of a KubeConfig. client-node does the kubeconfig
// work (CA, client certificates, tokens, exec and auth-provider plugins, proxies); the bytes travel
// over node:https so bodies stay raw JSON and watches can be streamed line by line.
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { NetworkError } from './http-errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute path plus query, e.g. "/api/v1/namespaces/x/configmaps?limit=2". */
  path: string;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  /** No answer (headers) within this long fails the request. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

type AgentLike = HttpAgent;

export class KubeTransport {
  readonly server: string;
  private readonly kubeConfig: KubeConfig;
  private readonly userAgent: string;
  private agent: { key: string; agent: AgentLike } | undefined;

  constructor(kubeConfig: KubeConfig, userAgent = 'sprout') {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = cluster.server.replace(/\/+$/, '');
    this.userAgent = userAgent;
  }

  /**
   * Connection options for one request. Credentials are applied every time (tokens rotate);
   * the agent is kept while the TLS material is the same, so connections are reused.
   */
  private async connection(): Promise<RequestOptions & HttpsRequestOptions> {
    const opts: HttpsRequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const key = createHash('sha256')
      .update(
        JSON.stringify([opts.ca, opts.cert, opts.key, opts.pfx, opts.rejectUnauthorized, opts.servername]),
      )
      .digest('hex');
    if (this.agent?.key !== key) {
      this.agent?.agent.destroy();
      this.agent = { key, agent: this.makeAgent(opts) };
    }
    return { ...opts, agent: this.agent.agent };
  }

  private makeAgent(opts: HttpsRequestOptions): AgentLike {
    // Proxies need client-node's proxy agents; otherwise a keep-alive agent of our own.
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl !== undefined && opts.agent instanceof HttpAgent)
      return opts.agent;
    if (this.server.startsWith('http:')) return new HttpAgent({ keepAlive: true });
    return new HttpsAgent({
      keepAlive: true,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      servername: opts.servername,
      ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
    });
  }

  /** Sends the request; resolves with the response once its headers arrive (body not read). */
  async open(req: HttpRequest): Promise<IncomingMessage> {
    let conn: RequestOptions;
    try {
      conn = await this.connection();
    } catch (e) {
      throw new NetworkError(this.server, e);
    }
    const url = new URL(this.server + req.path);
    const headers: Record<string, string | string[] | number> = {
      ...(conn.headers as Record<string, string | string[] | number> | undefined),
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(req.body);
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const r = send(url, { ...conn, method: req.method, headers, signal: req.signal }, (res) => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(res);
      });
      const timer =
        req.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                r.destroy(
                  Object.assign(new Error(`no answer within ${req.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
                ),
              req.timeoutMs,
            );
      r.on('error', (e) => {
        if (timer !== undefined) clearTimeout(timer);
        reject(new NetworkError(this.server, e, r.reusedSocket));
      });
      r.end(req.body);
    });
  }

  /** Sends the request and reads the whole answer. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.open(req);
    const body = await readBody(res).catch((e: unknown) => {
      throw new NetworkError(this.server, e);
    });
    return { status: res.statusCode ?? 0, headers: res.headers, body };
  }

  /** Closes idle keep-alive connections (open watches end on their own signals). */
  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }
}

export function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the response was cut short')));
  });
}
