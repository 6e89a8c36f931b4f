// A small HTTPS client for the embedded server, for tests that speak the wire protocol directly.
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalServer } from './server.js';

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface ApiRequestOptions {
  body?: string | Buffer | object;
  contentType?: string;
  headers?: Record<string, string | string[]>;
  /** Default: the server's own token. Pass null to send none. */
  token?: string | null;
}

export function apiRequest(server: Pick<LocalServer, 'url' | 'caPem' | 'token'>, method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
  const body = options.body === undefined ? undefined
    : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string | string[]> = { Accept: 'application/json', ...(options.headers ?? {}) };
  const token = options.token === undefined ? server.token : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.url), { method, headers, ca: server.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
