// Manifests a suite needs in every cluster before its tests run, installed the way kyverno/policies'
// CI installs its CRDs: `kubectl apply -f PATH` against the target cluster.
import type { ProcessRunner } from './process.js';

export interface SetupOptions {
  /** Files or folders, each handed to `kubectl apply -f` (folders: every .yaml/.yml/.json in them). */
  paths: string[];
  kubeconfig: string;
  runner: ProcessRunner;
  kubectl?: string;
  timeoutMs?: number;
}

/** Applies every path in order; throws with kubectl's output when one fails, so no test runs on a half-prepared cluster. */
export async function applySetup(options: SetupOptions): Promise<void> {
  for (const path of options.paths) {
    const result = await options.runner.run({
      command: options.kubectl ?? 'kubectl',
      args: ['apply', '-f', path],
      env: { KUBECONFIG: options.kubeconfig },
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    if (result.error !== null) throw new Error(`setup: kubectl apply -f ${path}: ${result.error}: ${result.stderr.trim()}`);
  }
}
