import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromDocument } from './load.js';
import { parseDuration } from './duration.js';
import { memoryFiles, testFrom } from './test-support.js';

const createPolicy = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: StepTemplate
metadata:
  name: create-policy
spec:
  try:
  - create:
      file: ($file)
`;

const clusterPolicyReady = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: StepTemplate
metadata:
  name: cluster-policy-ready
spec:
  bindings:
  - name: name
    value: default-name
  try:
  - assert:
      template: true
      resource:
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: ($name)
`;

const testYaml = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: demo
spec:
  concurrent: false
  timeouts:
    delete: 2m
  steps:
  - name: create policy
    use:
      template: ../_step-templates/create-policy.yaml
      with:
        bindings:
        - name: file
          value: policy.yaml
  - name: wait policy ready
    use:
      template: ../_step-templates/cluster-policy-ready.yaml
      with:
        bindings:
        - name: name
          value: my-policy
  - name: step-02
    try:
    - script:
        content: kubectl get updaterequests -n kyverno
        timeout: 30s
        check:
          (trim_space($stderr)): No resources found in kyverno namespace.
    finally:
    - sleep:
        duration: 1s
`;

const files = { '/_step-templates/create-policy.yaml': createPolicy, '/_step-templates/cluster-policy-ready.yaml': clusterPolicyReady };

test('step templates are inlined: their operations, their default bindings, then with.bindings', () => {
  const t = testFrom(testYaml, memoryFiles(files));
  assert.equal(t.name, 'demo');
  assert.equal(t.dir, '/t');
  assert.equal(t.concurrent, false);
  assert.deepEqual(t.timeouts, { delete: 120_000 });
  const [create, ready, step2] = t.steps;
  assert.deepEqual(create?.try, [{ type: 'create', source: { file: '($file)' }, bindings: [] }]);
  assert.deepEqual(create?.bindings, [{ name: 'file', value: 'policy.yaml' }]);
  // Later declarations win: with.bindings overrides the template's default.
  assert.deepEqual(ready?.bindings, [{ name: 'name', value: 'default-name' }, { name: 'name', value: 'my-policy' }]);
  assert.equal(ready?.try[0]?.type, 'assert');
  assert.equal(ready?.try[0]?.template, true);
  assert.equal(step2?.try[0]?.type, 'script');
  assert.equal(step2?.try[0]?.timeoutMs, 30_000);
  assert.deepEqual(step2?.finally, [{ type: 'sleep', durationMs: 1000, bindings: [] }]);
});

test('fields the runner does not implement are rejected, naming the field', () => {
  const yaml = testYaml.replace('    - sleep:\n        duration: 1s\n', '    - apply:\n        file: x.yaml\n        outputs: []\n');
  assert.throws(() => testFrom(yaml, memoryFiles(files)), /spec\.steps\[2\]\.finally\[0\]\.apply\.outputs is not supported/);
  const missing = testYaml.replace('../_step-templates/create-policy.yaml', '../nowhere.yaml');
  assert.throws(() => testFrom(missing, memoryFiles(files)), /ENOENT: \/nowhere\.yaml/);
});

test('Go durations', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.throws(() => parseDuration('10'), /invalid duration/);
});

test('the generate suite configuration (.chainsaw.yaml, v1alpha2)', () => {
  const config = configFromDocument({
    apiVersion: 'chainsaw.kyverno.io/v1alpha2',
    kind: 'Configuration',
    spec: {
      cleanup: { delayBeforeCleanup: '1s' },
      namespace: { fastDelete: true },
      timeouts: { apply: '10s', assert: '1m30s', error: '1m30s' },
    },
  });
  assert.deepEqual(config.timeouts, { apply: 10_000, assert: 90_000, cleanup: 30_000, delete: 15_000, error: 90_000, exec: 5_000 });
  assert.equal(config.delayBeforeCleanupMs, 1000);
  assert.equal(config.fastNamespaceDelete, true);
  assert.equal(config.templating, true);
});
