// Validate, mutate and reports on the local stack through the real kubectl: an Enforce policy denies
// `kubectl apply` with Kyverno's message, a mutate policy's patch is on the created object, and an
// Audit policy over existing resources produces a PolicyReport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../src/main/local-stack.js';
import { silentLogger } from '../../src/platform/logger.js';
import { kubectlAvailable, kubectlWith } from './target.js';


async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

const POLICIES = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-team}
spec:
  validationFailureAction: Enforce
  background: false
  rules:
  - name: check-team
    match: {any: [{resources: {kinds: [ConfigMap], namespaces: [vm-enforce]}}]}
    validate:
      message: label team is required
      pattern: {metadata: {labels: {team: "?*"}}}
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: add-owner}
spec:
  rules:
  - name: owner-label
    match: {any: [{resources: {kinds: [ConfigMap], namespaces: [vm-mutate]}}]}
    mutate:
      patchStrategicMerge: {metadata: {labels: {+(owner): platform}}}
`;

const AUDIT = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: audit-env
  annotations: {policies.kyverno.io/category: Best Practices, policies.kyverno.io/severity: low}
spec:
  validationFailureAction: Audit
  rules:
  - name: check-env
    match: {any: [{resources: {kinds: [Secret], namespaces: [vm-audit]}}]}
    validate:
      message: label env is required
      pattern: {metadata: {labels: {env: "?*"}}}
`;

const configMap = (ns: string, name: string, labels = ''): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${labels ? `  labels: {${labels}}\n` : ''}data: {a: b}\n`;

test('sprout local with kubectl: Enforce denies, mutate patches, Audit reports', { skip: !(await kubectlAvailable()) && 'kubectl not installed' }, async () => {
  const stack = await startLocalStack({ logger: silentLogger() });
  const cacheDir = await mkdtemp(join(tmpdir(), 'sprout-kubectl-'));
  const kubectl = kubectlWith(stack.server.kubeconfigPath, cacheDir);
  try {
    for (const ns of ['vm-enforce', 'vm-mutate', 'vm-audit']) assert.equal((await kubectl(['create', 'ns', ns])).code, 0);
    // Existing resources the Audit policy will find.
    assert.equal((await kubectl(['create', 'secret', 'generic', 'plain', '-n', 'vm-audit', '--from-literal=a=b'])).code, 0);
    assert.equal((await kubectl(['create', 'secret', 'generic', 'tagged', '-n', 'vm-audit', '--from-literal=a=b'])).code, 0);
    assert.equal((await kubectl(['label', 'secret', 'tagged', '-n', 'vm-audit', 'env=prod'])).code, 0);

    const applied = await kubectl(['apply', '-f', '-'], POLICIES);
    assert.equal(applied.code, 0, applied.stderr);

    // Enforce: kubectl apply is refused with Kyverno's message (once the webhook is registered).
    const denied = await until(async () => {
      const r = await kubectl(['apply', '-f', '-'], configMap('vm-enforce', 'no-team'));
      if (r.code === 0) {
        await kubectl(['delete', 'configmap', 'no-team', '-n', 'vm-enforce']);
        return undefined;
      }
      return r;
    }, 10_000, 'Enforce denial');
    assert.match(denied.stderr, /admission webhook "validate\.sprout\.io" denied the request: \n\nresource ConfigMap\/vm-enforce\/no-team was blocked due to the following policies \n\nrequire-team:\n {2}check-team: 'validation error: label team is required\. rule check-team failed at\n {4}path \/metadata\/labels\/'/);
    const allowed = await kubectl(['apply', '-f', '-'], configMap('vm-enforce', 'with-team', 'team: a'));
    assert.equal(allowed.code, 0, allowed.stderr);

    // Mutate: the patch is on the stored object.
    const owner = await until(async () => {
      const name = `cm-${Date.now()}`;
      const r = await kubectl(['apply', '-f', '-'], configMap('vm-mutate', name));
      assert.equal(r.code, 0, r.stderr);
      const got = await kubectl(['get', 'configmap', name, '-n', 'vm-mutate', '-o', 'jsonpath={.metadata.labels.owner}']);
      return got.stdout === '' ? undefined : got.stdout;
    }, 10_000, 'mutated label');
    assert.equal(owner, 'platform');
    const kept = await kubectl(['apply', '-f', '-'], configMap('vm-mutate', 'mine', 'owner: me'));
    assert.equal(kept.code, 0, kept.stderr);
    const mine = await kubectl(['get', 'configmap', 'mine', '-n', 'vm-mutate', '-o', 'jsonpath={.metadata.labels.owner}']);
    assert.equal(mine.stdout, 'me', 'add-if-not-present keeps an existing value');

    // Audit over existing resources: one PolicyReport per Secret in the namespace, named by its uid.
    assert.equal((await kubectl(['apply', '-f', '-'], AUDIT)).code, 0);
    interface Report {
      metadata: { name: string };
      scope?: { kind: string; name: string; uid: string };
      results?: { result: string; policy: string; severity?: string; properties?: Record<string, string> }[];
      summary?: Record<string, number>;
    }
    const reports = await until(async () => {
      const r = await kubectl(['get', 'polr', '-n', 'vm-audit', '-o', 'json']);
      if (r.code !== 0) return undefined;
      const items = (JSON.parse(r.stdout) as { items: Report[] }).items.filter((i) => i.scope?.kind === 'Secret');
      return items.length === 2 && items.every((i) => i.results?.length === 1) ? items : undefined;
    }, 10_000, 'PolicyReports');
    const uids = await kubectl(['get', 'secret', 'plain', 'tagged', '-n', 'vm-audit', '-o', 'jsonpath={.items[*].metadata.uid}']);
    assert.deepEqual(reports.map((r) => r.metadata.name).sort(), uids.stdout.split(' ').sort());
    assert.deepEqual(
      reports.map((r) => [r.scope?.name, r.metadata.name === r.scope?.uid, r.results?.[0]?.policy, r.results?.[0]?.result, r.results?.[0]?.severity, r.results?.[0]?.properties?.['process']]).sort(),
      [['plain', true, 'audit-env', 'fail', 'low', 'background scan'], ['tagged', true, 'audit-env', 'pass', 'low', 'background scan']],
    );
    const byName = new Map(reports.map((r) => [r.scope?.name, r.summary]));
    assert.deepEqual(byName.get('plain'), { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    assert.deepEqual(byName.get('tagged'), { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 });
    // kubectl shows which resource each report is about, and its counts (the CRD's printer columns).
    const wide = await kubectl(['get', 'polr', '-n', 'vm-audit', '-o', 'wide']);
    assert.match(wide.stdout, /^NAME\s+KIND\s+NAME\s+PASS\s+FAIL\s+WARN\s+ERROR\s+SKIP\s+AGE/m);
    assert.match(wide.stdout, /Secret\s+plain\s+0\s+1\s+0\s+0\s+0\s/);
    // Audit allows with a warning at admission.
    const warned = await kubectl(['create', 'secret', 'generic', 'new', '-n', 'vm-audit', '--from-literal=a=b']);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /Warning: policy audit-env\.check-env: validation error: label env is required/);
  } finally {
    await stack.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});
