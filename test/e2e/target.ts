// Where the kubectl e2e suite runs, chosen once: the cluster in $KUBECONFIG when it is set,
// otherwise the embedded server started in-process. Also runs kubectl itself.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../src/cluster/http/index.js';
import type { LocalServer } from '../../src/cluster/http/index.js';

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Target {
  kubeconfig: string;
  /** Set when the suite drives the embedded server (local-only checks can use it). */
  local?: LocalServer;
  /** A namespace of its own, so the suite can share a real cluster. */
  namespace: string;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  /** Starts a long-running kubectl (e.g. `get --watch`); the caller kills it. */
  spawnKubectl(args: string[]): ChildProcess;
  close(): Promise<void>;
}

export function kubectlAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ['version', '--client'], (err) => resolve(err === null));
  });
}

export async function openTarget(): Promise<Target> {
  const external = process.env.KUBECONFIG;
  const local = external === undefined || external === '' ? await startLocalServer() : undefined;
  const kubeconfig = local?.kubeconfigPath ?? external ?? '';
  const cacheDir = await mkdtemp(join(tmpdir(), 'sprout-kubectl-cache-'));
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const base = ['--cache-dir', cacheDir];
  const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(KUBECTL, [...base, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      });
      child.stdin?.end(stdin ?? '');
    });
  const namespace = `sprout-e2e-${Date.now().toString(36)}`;
  return {
    kubeconfig,
    local,
    namespace,
    kubectl,
    spawnKubectl: (args) => spawn(KUBECTL, [...base, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    close: async () => {
      await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
      await local?.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** A kubectl bound to one kubeconfig and cache dir (for suites that start their own server). */
export function kubectlWith(kubeconfig: string, cacheDir: string): (args: string[], stdin?: string) => Promise<KubectlResult> {
  return (args, stdin) =>
    new Promise((done) => {
      const child = execFile(KUBECTL, ['--cache-dir', cacheDir, ...args], { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 30_000 }, (err, stdout, stderr) => {
        done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
      });
      child.stdin?.end(stdin ?? '');
    });
}
