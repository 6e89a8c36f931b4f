// What `sprout local --policies` and `--demo` do once the server runs: install policies, wait for
// them to be Ready, and (demo) create a namespace and show its generated defaults.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient } from '../cluster/client.js';
import { AlreadyExistsError } from '../cluster/errors.js';
import type { Runtime } from '../main/runtime.js';
import { loadPolicyFiles } from '../policy/load.js';
import { builtinScopeOf } from '../policy/builtin-scopes.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';
import { formatProblem } from './policies.js';
import { loadResourceFiles } from './resources.js';

const GENERATED_KINDS = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'v1', kind: 'ResourceQuota' },
  { apiVersion: 'v1', kind: 'LimitRange' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
];

/** The repository (or installed package) root, where examples/ lives. */
function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

async function createAll(cluster: ClusterClient, objects: KubeObject[]): Promise<void> {
  for (const o of objects) {
    try {
      await cluster.create(o);
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  }
}

export async function installPolicies(cluster: ClusterClient, paths: string[], io: CliIo): Promise<void> {
  const loaded = await loadPolicyFiles(paths);
  const errors = loaded.errors.filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new UsageError(`invalid policy input:\n  ${errors.map(formatProblem).join('\n  ')}`);
  await createAll(cluster, loaded.policies.map((p) => p.policy as unknown as KubeObject));
  await waitReady(cluster, loaded.policies.map((p) => p.policy as unknown as KubeObject));
  io.out(`installed ${loaded.policies.length} policies: ${loaded.policies.map((p) => p.policy.metadata.name).join(', ')}\n`);
}

async function waitReady(cluster: ClusterClient, policies: KubeObject[], timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (const p of policies) {
    for (;;) {
      const live = await cluster.get({ apiVersion: p.apiVersion, kind: p.kind, namespace: p.metadata.namespace, name: p.metadata.name ?? '' });
      const ready = ((live['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready) break;
      if (Date.now() > end) throw new Error(`policy ${p.metadata.name ?? ''} did not become Ready within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export async function runDemo(cluster: ClusterClient, runtime: Runtime, io: CliIo): Promise<void> {
  const root = packageRoot();
  await createAll(cluster, await loadResourceFiles(['examples/resources/platform.yaml'], root, builtinScopeOf));
  await installPolicies(cluster, [resolve(root, 'examples/policies')], io);
  const started = Date.now();
  await createAll(cluster, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { team: 'demo' } } }]);
  const end = Date.now() + 10_000;
  while (runtime.controller.pending() > 0 || (await generatedIn(cluster, 'demo')).length < 4) {
    if (Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const objects = await generatedIn(cluster, 'demo');
  io.out(`\ncreated namespace demo; within ${Date.now() - started} ms Sprout generated:\n`);
  for (const o of objects) {
    const l = o.metadata.labels ?? {};
    io.out(`  ${o.kind.padEnd(14)} demo/${(o.metadata.name ?? '').padEnd(16)} policy=${l['generate.kyverno.io/policy-name'] ?? ''} rule=${l['generate.kyverno.io/rule-name'] ?? ''}\n`);
  }
}

async function generatedIn(cluster: ClusterClient, namespace: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const k of GENERATED_KINDS) {
    const list = await cluster.list(k, { namespace, labelSelector: 'generate.kyverno.io/policy-name' });
    out.push(...list.items);
  }
  return out;
}
