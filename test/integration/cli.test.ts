// The CLI end to end, in-process: exit codes and what users read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sprout } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';

test('apply generates the examples: NetworkPolicy, quota, limits and the cloned Secret', async () => {
  const r = await sprout(
    [
      'apply',
      'examples/policies',
      '--resource',
      'examples/resources/namespace.yaml',
      '--cluster-resources',
      'examples/resources/platform.yaml',
      '-o',
      'json',
    ],
    repoRoot,
  );
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    results: { rule: string; status: string }[];
    generated: {
      kind: string;
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      data?: Record<string, string>;
    }[];
  };
  assert.deepEqual(doc.results.map((x) => `${x.rule}=${x.status}`).sort(), [
    'check-team-label=pass',
    'clone-regcred=pass',
    'default-deny=pass',
    'limit-range=pass',
    'resource-quota=pass',
  ]);
  assert.deepEqual(doc.generated.map((g) => `${g.kind}/${g.metadata.namespace}/${g.metadata.name}`).sort(), [
    'LimitRange/payments/default-limits',
    'NetworkPolicy/payments/default-deny',
    'ResourceQuota/payments/default-quota',
    'Secret/payments/regcred',
  ]);
  const secret = doc.generated.find((g) => g.kind === 'Secret');
  assert.equal(secret?.metadata.labels['generate.kyverno.io/source-namespace'], 'platform');
  assert.equal(secret?.metadata.labels['app.kubernetes.io/managed-by'], 'kyverno');
  assert.ok(secret?.data?.['.dockerconfigjson']);
});

test('bad input ends with exit code 2 and one clear message', async () => {
  const missing = await sprout(
    ['apply', 'nope.yaml', '--resource', 'examples/resources/namespace.yaml'],
    repoRoot,
  );
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yaml: no such file or directory/);

  const dir = await mkdtemp(join(tmpdir(), 'sprout-cli-'));
  await writeFile(join(dir, 'broken.yaml'), 'kind: ClusterPolicy\nmetadata: [\n');
  const broken = await sprout(
    ['apply', join(dir, 'broken.yaml'), '--resource', 'examples/resources/namespace.yaml'],
    repoRoot,
  );
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /broken\.yaml/);
  assert.doesNotMatch(broken.stderr, /at .*\.js:\d+/, 'no stack trace');

  await writeFile(
    join(dir, 'invalid.yaml'),
    'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: bad}\nspec:\n  rules:\n  - name: r\n    match: {any: [{resources: {kinds: [Namespace]}}]}\n    generate: {kind: ConfigMap, apiVersion: v1, name: x, namespace: y, data: {}, clone: {name: a, namespace: b}}\n',
  );
  const invalid = await sprout(
    ['apply', join(dir, 'invalid.yaml'), '--resource', 'examples/resources/namespace.yaml'],
    repoRoot,
  );
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /invalid\.yaml: spec\.rules\[0\]\.generate/);

  const flag = await sprout(
    ['apply', 'examples/policies', '--resource', 'examples/resources/namespace.yaml', '-o', 'xml'],
    repoRoot,
  );
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--output must be table, yaml or json/);
});

test('test exits 1 when an expectation does not hold, and says which', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sprout-test-'));
  await writeFile(
    join(dir, 'policy.yaml'),
    'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\nspec:\n  rules:\n  - name: r\n    match: {any: [{resources: {kinds: [Namespace]}}]}\n    generate: {kind: ConfigMap, apiVersion: v1, name: x, namespace: "{{request.object.metadata.name}}", data: {data: {a: b}}}\n',
  );
  await writeFile(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n');
  await writeFile(
    join(dir, 'expected.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: team-a}\ndata: {a: WRONG}\n',
  );
  await writeFile(
    join(dir, 'kyverno-test.yaml'),
    'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: t}\npolicies: [policy.yaml]\nresources: [ns.yaml]\nresults:\n- {policy: p, rule: r, kind: Namespace, resources: [team-a], result: pass, generatedResource: expected.yaml}\n- {policy: p, rule: r, kind: Namespace, resources: [team-a], result: skip}\n',
  );
  const r = await sprout(['test', dir, '--detailed-results'], repoRoot);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Resource diff/);
  assert.match(r.stdout, /- +a: WRONG/);
  assert.match(r.stdout, /\+ +a: b/);
  assert.match(r.stdout, /Want skip, got pass/);
  assert.match(r.stdout, /Test Summary: 0 tests passed and 2 tests failed/);
});
