// The all-in-one stack through the real kubectl: `kubectl create ns` → downstream within a second;
// an invalid policy refused at `kubectl apply` with the precise message; a deleted synchronized
// NetworkPolicy comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalStack } from '../../src/main/local-stack.js';
import { silentLogger } from '../../src/platform/logger.js';
import { repoRoot } from '../support/paths.js';
import { kubectlAvailable, kubectlWith } from './target.js';


async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

test('sprout local with kubectl: generate, policy validation, self-healing', { skip: !(await kubectlAvailable()) && 'kubectl not installed' }, async () => {
  const stack = await startLocalStack({ logger: silentLogger() });
  const cacheDir = await mkdtemp(join(tmpdir(), 'sprout-kubectl-'));
  const kubectl = kubectlWith(stack.server.kubeconfigPath, cacheDir);
  try {
    const platform = await kubectl(['apply', '-f', resolve(repoRoot, 'examples/resources/platform.yaml')]);
    assert.equal(platform.code, 0, platform.stderr);
    const policies = await kubectl(['apply', '-f', resolve(repoRoot, 'examples/policies')]);
    assert.equal(policies.code, 0, policies.stderr);
    await until(async () => {
      const r = await kubectl(['get', 'cpol', '-o', 'jsonpath={.items[*].status.conditions[0].status}']);
      return r.stdout.split(' ').filter((s) => s === 'True').length === 4;
    }, 10_000);

    const created = await kubectl(['create', 'ns', 'team-x']);
    assert.equal(created.code, 0, created.stderr);
    const took = await until(async () => {
      const r = await kubectl(['get', 'networkpolicy,resourcequota,limitrange,secret', '-n', 'team-x', '-o', 'name']);
      return ['networkpolicy.networking.k8s.io/default-deny', 'resourcequota/default-quota', 'limitrange/default-limits', 'secret/regcred'].every((n) => r.stdout.includes(n));
    }, 5_000);
    assert.ok(took < 1000, `downstream visible through kubectl in ${took} ms`);

    const bad = await kubectl(
      ['apply', '-f', '-'],
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: broken}\nspec:\n  rules:\n  - name: r\n    match: {any: [{resources: {kinds: [Namespace]}}]}\n    generate: {apiVersion: v1, kind: ConfigMap, name: x, namespace: y, data: {}, clone: {name: a, namespace: b}}\n',
    );
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /admission webhook "policy\.sprout\.io" denied the request: policy broken is invalid: spec\.rules\[0\]\.generate/);

    const deleted = await kubectl(['delete', 'networkpolicy', 'default-deny', '-n', 'team-x', '--wait=false']);
    assert.equal(deleted.code, 0, deleted.stderr);
    await until(async () => (await kubectl(['get', 'networkpolicy', 'default-deny', '-n', 'team-x'])).code === 0, 10_000);
  } finally {
    await stack.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});
