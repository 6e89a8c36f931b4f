// Runs `sprout local` as a child process (the built CLI in dist/) and talks to it over HTTPS with
// the kubeconfig it writes: for the crash test and write benchmarks, which need a real process to
// kill.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'sprout.js'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bin/sprout.js not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface LocalProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout and stderr byte so far (for failure messages). */
  output(): string;
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<Reply>;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Closes the client's keep-alive connections. */
  dispose(): void;
}

interface Kubeconfig {
  clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: { user?: { token?: string } }[];
}

/** Starts `sprout local` with `args` and resolves once it has printed its kubeconfig path. */
export async function spawnLocal(args: string[], timeoutMs = 30_000): Promise<LocalProcess> {
  const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'sprout.js'), 'local', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const kubeconfigPath = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sprout local did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const m = /^kubeconfig: (\S+)$/m.exec(output);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sprout local exited (${code}) before it started:\n${output}`));
    });
  });
  const config = parse(await readFile(kubeconfigPath, 'utf8')) as Kubeconfig;
  const url = config.clusters?.[0]?.cluster?.server ?? '';
  const ca = Buffer.from(config.clusters?.[0]?.cluster?.['certificate-authority-data'] ?? '', 'base64');
  const token = config.users?.[0]?.user?.token ?? '';
  const agent = new Agent({ keepAlive: true, ca, maxSockets: 64 });
  const call = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, url), { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  };
  return { child, url, output: () => output, request: call, exited, dispose: () => agent.destroy() };
}
