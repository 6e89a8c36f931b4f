import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Test } from './model.js';
import { formatReport, summaryLine } from './report.js';
import type { TestResult } from './run-test.js';
import { conflictKeys, runScheduled } from './schedule.js';
import { memoryFiles, testFrom } from './test-support.js';

const fakeTest = (name: string): Test => ({ name, file: `/x/${name}`, dir: '/x', steps: [], timeouts: {}, bindings: [], skipDelete: false, concurrent: true });

test('tests run in parallel up to the limit, never two sharing a name', async () => {
  const tests = ['a', 'b', 'c', 'd'].map(fakeTest);
  const keys: Record<string, string[]> = { a: ['ns/shared'], b: ['ns/shared'], c: ['obj/ClusterPolicy/p'], d: [] };
  let running = 0;
  let peak = 0;
  const overlaps: string[] = [];
  const active = new Set<string>();
  const results = await runScheduled(tests, {
    parallel: 2,
    keys: (t) => new Set(keys[t.name]),
    run: async (t) => {
      running++;
      peak = Math.max(peak, running);
      if (t.name === 'b' && active.has('a')) overlaps.push('a+b');
      active.add(t.name);
      await new Promise((r) => setTimeout(r, 5));
      active.delete(t.name);
      running--;
      return t.name;
    },
  });
  assert.deepEqual(results, ['a', 'b', 'c', 'd']);
  assert.equal(peak, 2);
  assert.deepEqual(overlaps, []);
});

test('conflict keys come from the names and namespaces a test uses', () => {
  const files = {
    '/t/objs.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: p\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: fixed\n',
    '/t/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: trigger-ns\n',
  };
  const t = testFrom(
    'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: t\nspec:\n  steps:\n  - try:\n    - apply:\n        file: objs.yaml\n    - create:\n        file: ns.yaml\n    - script:\n        content: kubectl delete ns other-ns; kubectl get cm -n third\n',
    memoryFiles(files),
  );
  assert.deepEqual([...conflictKeys(t, memoryFiles(files))].sort(), ['ns/fixed', 'ns/other-ns', 'ns/third', 'ns/trigger-ns', 'obj/ClusterPolicy/p']);
});

test('the report names the failing step, operation and reason, and ends with the summary', () => {
  const pass: TestResult = { name: 'good', file: '/a/chainsaw-test.yaml', namespace: 'n', passed: true, durationMs: 1500, steps: [], cleanupErrors: [] };
  const fail: TestResult = {
    name: 'bad',
    file: '/b/chainsaw-test.yaml',
    namespace: 'n',
    passed: false,
    durationMs: 90_000,
    steps: [{ name: 'step-03', status: 'failed', failures: [{ phase: 'try', index: 1, operation: 'assert x.yaml', reason: 'not found', diff: '- a: 1\n+ a: 2' }] }],
    cleanupErrors: [],
  };
  const text = formatReport([pass, fail], [{ file: '/c/chainsaw-test.yaml', error: 'bad yaml' }]);
  assert.equal(
    text,
    [
      'PASS good (1.5s) /a/chainsaw-test.yaml',
      'FAIL bad (90.0s) /b/chainsaw-test.yaml',
      '  step "step-03" try[1] assert x.yaml',
      '    reason: not found',
      '    diff (- expected, + actual):',
      '      - a: 1',
      '      + a: 2',
      'FAIL /c/chainsaw-test.yaml\n  could not load: bad yaml',
      '',
      '1 passed, 2 failed',
      '',
    ].join('\n'),
  );
  assert.equal(summaryLine([pass]), '1 passed, 0 failed');
});
