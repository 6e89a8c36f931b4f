import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyDocuments } from './documents.js';
import { loadPolicyFiles } from './load.js';

// Tests run from src/ (tsx) or dist/src/ (compiled); fixtures stay in the source tree.
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src', 'policy'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const testdata = join(repoRoot(), 'src', 'policy', 'testdata');

test('a folder is read recursively: multi-document YAML, JSON Lists, other documents set aside', async () => {
  const result = await loadPolicyFiles([join(testdata, 'folder')]);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(
    result.policies.map((p) => [
      p.policy.kind,
      p.policy.metadata.name,
      p.policy.metadata.namespace,
      p.document,
      p.file.slice(testdata.length + 1),
    ]),
    [
      ['ClusterPolicy', 'first', undefined, 0, 'folder/multi.yaml'],
      ['Policy', 'second', 'default', 2, 'folder/multi.yaml'],
      ['ClusterPolicy', 'from-list', undefined, 0, 'folder/nested/list.json'],
    ],
  );
  assert.deepEqual(result.others, [
    {
      file: join(testdata, 'folder', 'multi.yaml'),
      document: 1,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'not-a-policy',
    },
  ]);
});

test('malformed YAML is an error naming the file', async () => {
  const file = join(testdata, 'broken.yaml');
  const result = await loadPolicyFiles([file]);
  assert.equal(result.policies.length, 0);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]?.file, file);
  assert.equal(result.errors[0]?.severity, 'error');
  assert.match(result.errors[0]?.message ?? '', /^invalid YAML: line \d+: /);
});

test('an invalid policy is reported with file, document and path, and not returned', async () => {
  const file = join(testdata, 'invalid-policy.yaml');
  const result = await loadPolicyFiles([file]);
  assert.equal(result.policies.length, 0);
  assert.deepEqual(result.errors, [
    {
      file,
      path: 'spec.rules[0].generate.synchronise',
      message: 'unknown field "synchronise"',
      severity: 'error',
      policy: 'invalid',
      document: 0,
    },
  ]);
});

test('a missing path is an error, and the other paths are still loaded', async () => {
  const missing = join(testdata, 'does-not-exist.yaml');
  const result = await loadPolicyFiles([missing, join(testdata, 'folder', 'nested', 'list.json')]);
  assert.deepEqual(result.errors, [
    { file: missing, path: '', message: 'cannot read: no such file or directory', severity: 'error' },
  ]);
  assert.equal(result.policies.length, 1);
});

test('an explicitly named file is read whatever its extension', async () => {
  const result = await loadPolicyFiles([join(testdata, 'folder', 'nested', 'ignored.txt')]);
  assert.deepEqual(
    result.policies.map((p) => p.policy.metadata.name),
    [],
  );
  assert.equal(result.errors[0]?.path, 'spec');
});

test('parsePolicyDocuments works on text in memory and keeps warnings with the policy', () => {
  const text = [
    'apiVersion: kyverno.io/v1',
    'kind: ClusterPolicy',
    'metadata: {name: p}',
    'spec:',
    '  validationFailureAction: audit',
    '  rules:',
    '  - name: r',
    '    match: {any: [{resources: {kinds: [Pod]}}]}',
    '    validate: {message: m, pattern: {metadata: {name: "?*"}}}',
  ].join('\n');
  const result = parsePolicyDocuments(text, 'request');
  assert.equal(result.policies.length, 1);
  assert.deepEqual(result.policies[0]?.warnings, [
    {
      file: 'request',
      path: 'spec.validationFailureAction',
      message: '"audit" is deprecated: use "Audit"',
      severity: 'warning',
      policy: 'p',
      document: 0,
    },
  ]);
});

test('a kyverno.io policy of an unknown version is an error, not silently ignored', () => {
  const result = parsePolicyDocuments(
    'apiVersion: kyverno.io/v1alpha9\nkind: Policy\nmetadata: {name: p}\nspec: {}\n',
    'x.yaml',
  );
  assert.deepEqual(result.others, []);
  assert.equal(result.errors[0]?.path, 'apiVersion');
});
