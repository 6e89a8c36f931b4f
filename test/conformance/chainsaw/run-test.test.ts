import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../../src/api/json.js';
import { refOf } from './client.js';
import type { FakeCluster } from './fake-cluster.js';
import { runTest } from './run-test.js';
import { harness, memoryFiles, ScriptedRunner, testFrom } from './test-support.js';

const header = 'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\nspec:\n';

/** Plays a generate controller: a ConfigMap named "trigger" makes a Secret "generated" next to it. */
function generator(cluster: FakeCluster, verb: string, obj: JsonObject): void {
  const ref = refOf(obj);
  if (verb === 'create' && ref.kind === 'ConfigMap' && ref.name === 'trigger')
    cluster.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'generated', namespace: ref.namespace ?? '', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } }, data: { k: 'dg==' } });
}

const files = {
  '/t/trigger.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trigger\ndata:\n  a: "1"\n',
  '/t/generated.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: generated\n  namespace: ($namespace)\n  labels:\n    app.kubernetes.io/managed-by: kyverno\ndata:\n  k: dg==\n',
  '/t/wrong.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    app.kubernetes.io/managed-by: kyverno\ndata:\n  k: d3Jvbmc=\n',
};

test('apply puts unnamespaced objects in the test namespace; assert finds what the controller made; cleanup runs newest first', async () => {
  const h = harness({ files, cluster: { afterWrite: generator } });
  const t = testFrom(`${header}  steps:\n  - try:\n    - apply:\n        file: trigger.yaml\n    - assert:\n        file: generated.yaml\n`, memoryFiles(files));
  const r = await runTest(t, h.env);
  assert.equal(r.passed, true, JSON.stringify(r.steps));
  assert.equal(r.namespace, 'chainsaw-test-ns');
  assert.deepEqual(h.cluster.log, [
    'create v1/Namespace chainsaw-test-ns',
    'create v1/ConfigMap chainsaw-test-ns/trigger',
    'delete v1/ConfigMap chainsaw-test-ns/trigger',
    'delete v1/Namespace chainsaw-test-ns',
  ]);
  assert.deepEqual(h.cluster.all(), []);
});

test('apply of an existing object merge-patches it and leaves it out of cleanup', async () => {
  const h = harness({ files });
  h.cluster.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trigger', namespace: 'chainsaw-test-ns' }, data: { a: '0', b: '2' } });
  const t = testFrom(`${header}  steps:\n  - try:\n    - apply:\n        file: trigger.yaml\n`, memoryFiles(files));
  const r = await runTest(t, h.env);
  assert.equal(r.passed, true);
  assert.deepEqual(h.cluster.log, ['create v1/Namespace chainsaw-test-ns', 'patch v1/ConfigMap chainsaw-test-ns/trigger', 'delete v1/Namespace chainsaw-test-ns']);
});

test('assert polls until its timeout and reports the closest candidate with a diff', async () => {
  const h = harness({ files, config: { timeouts: { apply: 10_000, assert: 90_000, cleanup: 30_000, delete: 15_000, error: 90_000, exec: 5_000 } } });
  h.cluster.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'chainsaw-test-ns', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } }, data: { k: 'dg==' } });
  const t = testFrom(`${header}  steps:\n  - name: check\n    try:\n    - assert:\n        file: wrong.yaml\n  - name: never\n    try:\n    - sleep:\n        duration: 1s\n`, memoryFiles(files));
  const started = h.clock.now();
  const r = await runTest(t, h.env);
  assert.equal(r.passed, false);
  const [check, never] = r.steps;
  assert.equal(check?.status, 'failed');
  assert.equal(never?.status, 'skipped');
  const f = check?.failures[0];
  assert.equal(f?.operation, 'assert wrong.yaml');
  assert.match(f?.reason ?? '', /1 candidate\(s\), none matches; closest v1\/Secret chainsaw-test-ns\/other: data\.k: expected "d3Jvbmc=", found "dg=="/);
  assert.match(f?.diff ?? '', /- {3}k: d3Jvbmc=\n\+ {3}k: dg==/);
  // Polled once a second for the configured 90 s.
  assert.equal(h.clock.now() - started, 90_000);
  assert.equal(h.clock.sleeps.filter((s) => s === 1000).length, 90);
});

test('an operation timeout overrides the configured one; a missing object is reported as not found', async () => {
  const h = harness({ files });
  const t = testFrom(`${header}  steps:\n  - try:\n    - assert:\n        timeout: 5s\n        file: generated.yaml\n`, memoryFiles(files));
  const started = h.clock.now();
  const r = await runTest(t, h.env);
  assert.equal(h.clock.now() - started, 5_000);
  assert.match(r.steps[0]?.failures[0]?.reason ?? '', /v1\/Secret chainsaw-test-ns\/generated: actual resource not found/);
});

test('error passes once no object matches, and fails while one still does', async () => {
  const h = harness({ files, config: { timeouts: { apply: 1000, assert: 1000, cleanup: 1000, delete: 1000, error: 10_000, exec: 1000 } } });
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'generated', namespace: 'chainsaw-test-ns', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } }, data: { k: 'dg==' } };
  h.cluster.seed(secret);
  const errorTest = testFrom(`${header}  steps:\n  - try:\n    - error:\n        file: generated.yaml\n`, memoryFiles(files));
  const stuck = await runTest(errorTest, h.env);
  assert.equal(stuck.passed, false);
  assert.match(stuck.steps[0]?.failures[0]?.reason ?? '', /resource matches expectation \(it should not exist\): v1\/Secret chainsaw-test-ns\/generated/);

  // A controller deletes it after three seconds: the poll sees it go.
  const h2 = harness({ files });
  h2.cluster.seed(secret);
  const deadline = h2.clock.now() + 3000;
  const origSleep = h2.clock.sleep.bind(h2.clock);
  h2.clock.sleep = async (ms) => {
    await origSleep(ms);
    if (h2.clock.now() >= deadline) h2.cluster.remove({ apiVersion: 'v1', kind: 'Secret', name: 'generated', namespace: 'chainsaw-test-ns' });
  };
  const r = await runTest(errorTest, h2.env);
  assert.equal(r.passed, true, JSON.stringify(r.steps));
  // A different object (other data) never counts as a match.
  const h3 = harness({ files });
  h3.cluster.seed({ ...secret, data: { k: 'eA==' } });
  assert.equal((await runTest(errorTest, h3.env)).passed, true);
});

test('cleanup deletes in reverse creation order; skipDelete keeps everything; fastDelete leaves namespaced objects to the namespace', async () => {
  const many = {
    '/t/objs.yaml': [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fixed-ns',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: fixed-ns',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: role',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b',
    ].join('\n---\n'),
  };
  const yaml = `${header}  steps:\n  - try:\n    - apply:\n        file: objs.yaml\n`;
  const h = harness({ files: many });
  await runTest(testFrom(yaml, memoryFiles(many)), h.env);
  assert.deepEqual(h.cluster.log.filter((l) => l.startsWith('delete')), [
    'delete v1/ConfigMap chainsaw-test-ns/b',
    'delete rbac.authorization.k8s.io/v1/ClusterRole role',
    'delete v1/ConfigMap fixed-ns/a',
    'delete v1/Namespace fixed-ns',
    'delete v1/Namespace chainsaw-test-ns',
  ]);

  const kept = harness({ files: many });
  await runTest(testFrom(yaml.replace('spec:\n', 'spec:\n  skipDelete: true\n'), memoryFiles(many)), kept.env);
  assert.equal(kept.cluster.log.filter((l) => l.startsWith('delete')).length, 0);

  const fast = harness({ files: many, config: { fastNamespaceDelete: true, delayBeforeCleanupMs: 1000 } });
  const before = fast.clock.now();
  await runTest(testFrom(yaml, memoryFiles(many)), fast.env);
  assert.deepEqual(fast.cluster.log.filter((l) => l.startsWith('delete')), [
    'delete rbac.authorization.k8s.io/v1/ClusterRole role',
    'delete v1/ConfigMap fixed-ns/a',
    'delete v1/Namespace fixed-ns',
    'delete v1/Namespace chainsaw-test-ns',
  ]);
  assert.equal(fast.clock.sleeps[0], 1000, 'waits delayBeforeCleanup first');
  assert.ok(fast.clock.now() - before >= 1000);
});

test('script check expressions see $error, $stdout and $stderr; without a check a failing script fails the step', async () => {
  const runner = new ScriptedRunner((req) => {
    const script = req.args[1] ?? '';
    if (script.includes('grep -q')) return { error: 'exit status 1' };
    if (script.includes('updaterequests')) return { stderr: 'No resources found in kyverno namespace.\n' };
    if (script.includes('false')) return { error: 'exit status 1', stderr: 'boom' };
    return { stdout: 'ok' };
  });
  const h = harness({ runner });
  const yaml = `${header}  steps:
  - name: expected-failure
    try:
    - script:
        content: kubectl get po -A | grep -q 'kyverno-admission-controller'
        check:
          ($error != null): true
  - name: stderr
    try:
    - script:
        content: kubectl get updaterequests -n kyverno
        check:
          (trim_space($stderr)): |-
            No resources found in kyverno namespace.
  - name: command
    try:
    - command:
        entrypoint: kubectl
        args: [get, cm, -n, $NAMESPACE]
  - name: plain-failure
    try:
    - script:
        content: "false"
    catch:
    - script:
        content: echo catch
    finally:
    - script:
        content: echo finally
`;
  const r = await runTest(testFrom(yaml, memoryFiles({})), h.env);
  assert.deepEqual(r.steps.map((s) => s.status), ['passed', 'passed', 'passed', 'failed']);
  assert.match(r.steps[3]?.failures[0]?.reason ?? '', /exit status 1 \(stderr: boom\)/);
  const first = runner.requests[0];
  assert.equal(first?.command, 'sh');
  assert.equal(first?.cwd, '/t');
  assert.equal(first?.env?.['KUBECONFIG'], '/tmp/kubeconfig');
  assert.deepEqual(runner.requests[2]?.args, ['get', 'cm', '-n', 'chainsaw-test-ns']);
  assert.deepEqual(runner.requests.slice(3).map((q) => q.args[1]), ['false', 'echo catch', 'echo finally']);

  // The same check fails when the script succeeds.
  const ok = harness({ runner: new ScriptedRunner(() => ({})) });
  const failed = await runTest(testFrom(`${header}  steps:\n  - try:\n    - script:\n        content: "true"\n        check:\n          ($error != null): true\n`, memoryFiles({})), ok.env);
  assert.match(failed.steps[0]?.failures[0]?.reason ?? '', /check failed: \(\$error != null\): expected true, found false/);
});

test('step templates run with their bindings: create-policy ($file) and cluster-policy-ready ($name)', async () => {
  const tfiles = {
    '/s/create-policy.yaml': 'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: StepTemplate\nmetadata:\n  name: c\nspec:\n  try:\n  - create:\n      file: ($file)\n',
    '/s/ready.yaml': 'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: StepTemplate\nmetadata:\n  name: r\nspec:\n  try:\n  - assert:\n      template: true\n      resource:\n        apiVersion: kyverno.io/v1\n        kind: ClusterPolicy\n        metadata:\n          name: ($name)\n        status:\n          conditions:\n          - reason: Succeeded\n            status: "True"\n            type: Ready\n',
    '/t/policy.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: gen\nspec:\n  rules: []\n',
  };
  const markReady = (cluster: FakeCluster, verb: string, obj: JsonObject): void => {
    if (verb === 'create' && obj['kind'] === 'ClusterPolicy') cluster.seed({ ...obj, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Ready' }] } });
  };
  const yaml = `${header}  steps:
  - name: create policy
    use:
      template: ../s/create-policy.yaml
      with:
        bindings:
        - name: file
          value: policy.yaml
  - name: wait policy ready
    use:
      template: ../s/ready.yaml
      with:
        bindings:
        - name: name
          value: gen
`;
  const h = harness({ files: tfiles, cluster: { afterWrite: markReady } });
  const r = await runTest(testFrom(yaml, memoryFiles(tfiles)), h.env);
  assert.equal(r.passed, true, JSON.stringify(r.steps));
  assert.ok(h.cluster.log.includes('delete kyverno.io/v1/ClusterPolicy gen'));

  // Without the controller the policy never gets Ready: the failure names the template's step and diff.
  const slow = harness({ files: tfiles });
  const failed = await runTest(testFrom(yaml, memoryFiles(tfiles)), slow.env);
  assert.equal(failed.steps[1]?.name, 'wait policy ready');
  assert.match(failed.steps[1]?.failures[0]?.reason ?? '', /status: field not found/);
});

test('delete removes objects by ref and waits until they are gone', async () => {
  const h = harness();
  h.cluster.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'harbor-external', namespace: 'platform' } });
  const yaml = `${header}  steps:\n  - try:\n    - delete:\n        ref:\n          apiVersion: v1\n          kind: Secret\n          name: harbor-external\n          namespace: platform\n    - delete:\n        ref:\n          apiVersion: v1\n          kind: Secret\n          name: absent\n`;
  const r = await runTest(testFrom(yaml, memoryFiles({})), h.env);
  assert.equal(r.passed, true, JSON.stringify(r.steps));
  assert.ok(h.cluster.log.includes('delete v1/Secret platform/harbor-external'));
  assert.equal(await h.cluster.get({ apiVersion: 'v1', kind: 'Secret', name: 'harbor-external', namespace: 'platform' }), null);
});

test('delete counts an object re-created under the same name (another uid) as deleted, as a synchronizing controller does', async () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'synced', namespace: 'platform', uid: 'first' } };
  const recreate = (cluster: FakeCluster, verb: string, obj: JsonObject): void => {
    if (verb === 'delete' && refOf(obj).name === 'synced') cluster.seed({ ...secret, metadata: { ...secret.metadata, uid: 'second' } });
  };
  const h = harness({ cluster: { afterWrite: recreate } });
  h.cluster.seed(secret);
  const yaml = `${header}  steps:\n  - try:\n    - delete:\n        ref:\n          apiVersion: v1\n          kind: Secret\n          name: synced\n          namespace: platform\n`;
  const r = await runTest(testFrom(yaml, memoryFiles({})), h.env);
  assert.equal(r.passed, true, JSON.stringify(r.steps));
  const live = await h.cluster.get({ apiVersion: 'v1', kind: 'Secret', name: 'synced', namespace: 'platform' });
  assert.equal((live?.['metadata'] as { uid?: string } | undefined)?.uid, 'second');
});
