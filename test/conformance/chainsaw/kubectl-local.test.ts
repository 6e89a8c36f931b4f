// The runner end to end with the real kubectl against `sprout local` (the embedded API server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../../src/cluster/http/index.js';
import { realClock } from './clock.js';
import { KubectlClient } from './kubectl-client.js';
import { defaultConfig } from './model.js';
import { spawnRunner } from './process.js';
import { runTest } from './run-test.js';
import { testFrom } from './test-support.js';

const files: Record<string, string> = {
  'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    app: demo\ndata:\n  ns: ($namespace)\n',
  'cm-assert.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: ($namespace)\n  labels:\n    app: demo\ndata:\n  ns: ($namespace)\n',
  'absent.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n',
};

test('apply, assert, error, script and cleanup through kubectl against sprout local', { timeout: 60_000 }, async () => {
  const server = await startLocalServer();
  // Scripts run in the test's folder, so it must exist.
  const dir = mkdtempSync(join(tmpdir(), 'chainsaw-local-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const read = (p: string): string => readFileSync(p, 'utf8');
  try {
    const client = new KubectlClient({ kubeconfig: server.kubeconfigPath, runner: spawnRunner });
    const config = { ...structuredClone(defaultConfig), timeouts: { apply: 5000, assert: 3000, cleanup: 10_000, delete: 10_000, error: 2000, exec: 10_000 } };
    const yaml = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: local
spec:
  steps:
  - try:
    - apply:
        file: cm.yaml
    - assert:
        file: cm-assert.yaml
    - error:
        file: absent.yaml
    - script:
        content: kubectl get configmap cm -n $NAMESPACE -o jsonpath='{.data.ns}'
        check:
          ($stdout == $namespace): true
`;
    const r = await runTest(testFrom(yaml, read, join(dir, 'chainsaw-test.yaml')), { client, clock: realClock, runner: spawnRunner, kubeconfig: server.kubeconfigPath, config, readText: read });
    assert.equal(r.passed, true, JSON.stringify(r, null, 2));
    assert.equal(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: r.namespace }), null, 'namespace cleaned up');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
