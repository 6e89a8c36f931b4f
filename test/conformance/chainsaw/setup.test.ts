import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySetup } from './setup.js';
import { ScriptedRunner } from './test-support.js';

test('applySetup runs kubectl apply -f for each path, in order, against the given kubeconfig', async () => {
  const runner = new ScriptedRunner(() => ({ stdout: 'created' }));
  await applySetup({ paths: ['/crds', '/more/x.yaml'], kubeconfig: '/tmp/kc', runner });
  assert.deepEqual(
    runner.requests.map((r) => ({ command: r.command, args: r.args, kubeconfig: r.env?.['KUBECONFIG'] })),
    [
      { command: 'kubectl', args: ['apply', '-f', '/crds'], kubeconfig: '/tmp/kc' },
      { command: 'kubectl', args: ['apply', '-f', '/more/x.yaml'], kubeconfig: '/tmp/kc' },
    ],
  );
});

test('applySetup stops at the first failure and reports kubectl stderr', async () => {
  const runner = new ScriptedRunner((r) => (r.args[2] === '/bad' ? { error: 'exit status 1', stderr: 'error: no objects passed to apply\n' } : {}));
  await assert.rejects(
    applySetup({ paths: ['/bad', '/never'], kubeconfig: '/tmp/kc', runner }),
    { message: 'setup: kubectl apply -f /bad: exit status 1: error: no objects passed to apply' },
  );
  assert.equal(runner.requests.length, 1);
});
