import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from './clock.js';
import { FakeCluster } from './fake-cluster.js';
import { runSuite } from './suite.js';
import { ScriptedRunner } from './test-support.js';

const scriptTest = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: writes-a-key
spec:
  steps:
  - name: step-01
    try:
    - script:
        content: openssl genrsa -out user.key 2048
`;

function corpusWithOneTest(): { root: string; testDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'sprout-suite-'));
  const testDir = join(root, 'policy', '.chainsaw-test');
  mkdirSync(testDir, { recursive: true });
  writeFileSync(join(testDir, 'chainsaw-test.yaml'), scriptTest);
  return { root, testDir };
}

test('runSuite finds tests in hidden .chainsaw-test folders and removes the files their scripts leave there', async () => {
  const { root, testDir } = corpusWithOneTest();
  try {
    // Plays the script: writes into its working folder, as `openssl -out` would.
    const runner = new ScriptedRunner((r) => {
      writeFileSync(join(r.cwd ?? '', 'user.key'), 'secret');
      return {};
    });
    const suite = await runSuite({ dirs: [root], client: new FakeCluster(), clock: new FakeClock(), runner, kubeconfig: '/tmp/kc', parallel: 1 });
    assert.deepEqual(suite.results.map((r) => [r.name, r.passed]), [['writes-a-key', true]]);
    assert.equal(runner.requests[0]?.cwd, testDir);
    assert.deepEqual(readdirSync(testDir), ['chainsaw-test.yaml']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a fresh cluster that cannot be prepared fails that test with the reason instead of aborting the suite', async () => {
  const { root } = corpusWithOneTest();
  try {
    const suite = await runSuite({
      dirs: [root],
      client: new FakeCluster(),
      clock: new FakeClock(),
      runner: new ScriptedRunner(() => ({})),
      kubeconfig: '/tmp/kc',
      parallel: 1,
      isolate: () => Promise.reject(new Error('setup: kubectl apply -f /crds: exit status 1')),
    });
    assert.equal(suite.results.length, 1);
    assert.equal(suite.results[0]?.passed, false);
    assert.deepEqual(suite.results[0]?.cleanupErrors, ['runner error: setup: kubectl apply -f /crds: exit status 1']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
