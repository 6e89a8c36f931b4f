// Sprout's own kyverno-test.yaml suites (test/conformance/suites), one folder per generate feature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { sprout } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';

// 78 rows expected to hold + 6 rows for resources a rule does not apply to (reported as excluded/skipped).
const PASSED = 78;
const SKIPPED = 6;

test('sprout test test/conformance/suites passes every result', async () => {
  const r = await sprout(
    ['test', resolve(repoRoot, 'test/conformance/suites'), '--detailed-results'],
    repoRoot,
  );
  const summary = /Test Summary: (\d+) tests passed and (\d+) tests failed/.exec(r.stdout);
  assert.ok(summary, `no summary line in:\n${r.stdout}\n${r.stderr}`);
  assert.equal(Number(summary[2]), 0, r.stdout);
  assert.equal(Number(summary[1]), PASSED + SKIPPED, r.stdout);
  const counts = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(r.stdout);
  assert.ok(counts, r.stdout);
  assert.deepEqual([Number(counts[1]), Number(counts[2]), Number(counts[3])], [PASSED, 0, SKIPPED], r.stdout);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('no suite row passes vacuously', async () => {
  const r = await sprout(
    ['test', resolve(repoRoot, 'test/conformance/suites'), '--detailed-results'],
    repoRoot,
  );
  // A generation error or a rejected policy would leave only the status to compare (or skip the row).
  assert.doesNotMatch(r.stdout, /failed to generate/);
  assert.doesNotMatch(r.stdout, /Invalid Policy/);
  assert.doesNotMatch(r.stdout, /Error:/);
});
