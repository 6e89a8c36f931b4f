// A minimal HTTPS client for the embedded API server, built from the kubeconfig it writes: keep-alive
// writes and streaming watches that timestamp each event as its line arrives. Deliberately not the
// KubeClient adapter (no rate limiter, retries or discovery), so the figures are the server's.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';

interface Kubeconfig {
  clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: { user?: { token?: string } }[];
}

export interface Reply {
  status: number;
  body: string;
}

export interface WatchEventLine {
  type: string;
  name: string;
  namespace: string;
  /** performance.now() when the line was read. */
  at: number;
}

export class ApiClient {
  readonly url: string;
  private readonly ca: Buffer;
  private readonly token: string;
  private readonly agent: Agent;

  constructor(kubeconfigPath: string, maxSockets = 64) {
    const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
    this.url = config.clusters?.[0]?.cluster?.server ?? '';
    this.ca = Buffer.from(config.clusters?.[0]?.cluster?.['certificate-authority-data'] ?? '', 'base64');
    this.token = config.users?.[0]?.user?.token ?? '';
    this.agent = new Agent({ keepAlive: true, ca: this.ca, maxSockets });
  }

  call(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.url), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Fails unless the reply is 201 Created. */
  async create(path: string, body: unknown): Promise<void> {
    const reply = await this.call('POST', path, body);
    if (reply.status !== 201) throw new Error(`POST ${path}: ${reply.status} ${reply.body.slice(0, 300)}`);
  }

  /**
   * A streaming watch on its own connection. Resolves once the server has answered the request
   * (the stream is open); every event line is handed to `onEvent` with its arrival time.
   */
  watch(path: string, onEvent: (e: WatchEventLine) => void, signal: AbortSignal): Promise<void> {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.url), { method: 'GET', headers, ca: this.ca, agent: false, signal }, (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path}: ${res.statusCode ?? 0}`));
          res.resume();
          return;
        }
        resolve();
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          pending += chunk;
          let nl = pending.indexOf('\n');
          while (nl >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            nl = pending.indexOf('\n');
            if (line.trim() === '') continue;
            const ev = JSON.parse(line) as { type: string; object?: { metadata?: { name?: string; namespace?: string } } };
            onEvent({ type: ev.type, name: ev.object?.metadata?.name ?? '', namespace: ev.object?.metadata?.namespace ?? '', at });
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', (e) => {
        if (!signal.aborted) reject(e);
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task(i)` for i in [0, count) with `concurrency` in flight; resolves with the elapsed ms. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - started;
}

/** Runs `task` with `concurrency` in flight until `durationMs` has passed; returns completions and elapsed ms. */
export async function runFor(durationMs: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ done: number; elapsedMs: number }> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - started < durationMs) {
      await task(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { done, elapsedMs: performance.now() - started };
}
