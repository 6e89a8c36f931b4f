// Kyverno's own CLI tests for validate and mutate policies, read unchanged from ../shared/corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { sprout } from '../support/cli.js';
import { corpusDir, repoRoot } from '../support/paths.js';

test('sprout test ../shared/corpus/cli/validate-mutate passes every result', async () => {
  const r = await sprout(['test', resolve(corpusDir, 'cli/validate-mutate')], repoRoot);
  const summary = /Test Summary: (\d+) tests passed and (\d+) tests failed/.exec(r.stdout);
  assert.ok(summary, `no summary line in:\n${r.stdout}\n${r.stderr}`);
  assert.equal(Number(summary[2]), 0, r.stdout);
  assert.equal(Number(summary[1]), 447, r.stdout);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});
