// Kyverno's chainsaw conformance tests for generate, run against `sprout local` by the chainsaw runner
// in a child process. Each floor is the pass count recorded in docs/conformance.md (which names every
// failing test and why), less a margin where timing on a loaded machine can cost a pass; a drop below
// it fails CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusDir, repoRoot } from '../support/paths.js';

interface CorpusRun {
  passed: number;
  failed: number;
  failures: string;
}

/** Runs the runner over the folders; `extraArgs` go after them (e.g. --setup). */
async function runChainsaw(dirs: string[], extraArgs: string[], timeoutMs: number): Promise<CorpusRun> {
  const dir = await mkdtemp(join(tmpdir(), 'sprout-chainsaw-ci-'));
  const report = join(dir, 'report.txt');
  try {
    const env = { ...process.env };
    delete env['KUBECONFIG'];
    const out = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(
        process.execPath,
        [resolve(repoRoot, 'dist/test/conformance/chainsaw/main.js'), ...dirs, '--parallel', '3', '--report', report, ...extraArgs],
        { env, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
        (err, stdout) => done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout }),
      );
    });
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(out.stdout);
    assert.ok(summary, `no summary line; output:\n${out.stdout.slice(-4000)}`);
    // Each failure with its step and reason (the indented lines under it), so a CI log says why.
    const failures = (await readFile(report, 'utf8').catch(() => ''))
      .split(/\n(?=\S)/)
      .filter((block) => block.startsWith('FAIL'))
      .map((block) => block.split('\n').slice(0, 4).join('\n'))
      .join('\n');
    return { passed: Number(summary[1]), failed: Number(summary[2]), failures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const MIN_PASSED = 97;
const TOTAL = 105;

test(`Kyverno's chainsaw generate conformance tests: at least ${MIN_PASSED} of ${TOTAL} pass against sprout local`, { timeout: 40 * 60_000 }, async () => {
  const run = await runChainsaw([resolve(corpusDir, 'chainsaw/generate/clusterpolicy')], [], 38 * 60_000);
  console.log(`chainsaw: ${run.passed} passed, ${run.failed} failed\n${run.failures}`);
  assert.equal(run.passed + run.failed, TOTAL, 'every test ran');
  assert.ok(run.passed >= MIN_PASSED, `only ${run.passed} passed:\n${run.failures}`);
});

// The `.chainsaw-test/` folders of kyverno/policies' generate policies. Their CI installs CRDs before
// the tests (not part of the corpus); `chainsaw/crds` holds Sprout's stand-ins for the ones they assert.
const POLICIES_MIN_PASSED = 11;
const POLICIES_TOTAL = 19;

test(`kyverno/policies chainsaw tests of generate policies: at least ${POLICIES_MIN_PASSED} of ${POLICIES_TOTAL} pass against sprout local`, { timeout: 15 * 60_000 }, async () => {
  const run = await runChainsaw(
    [resolve(corpusDir, 'cli/generate'), resolve(corpusDir, 'policies-without-cli-test')],
    ['--setup', resolve(repoRoot, 'test/conformance/chainsaw/crds')],
    14 * 60_000,
  );
  console.log(`chainsaw (kyverno/policies): ${run.passed} passed, ${run.failed} failed\n${run.failures}`);
  assert.equal(run.passed + run.failed, POLICIES_TOTAL, 'every test ran');
  assert.ok(run.passed >= POLICIES_MIN_PASSED, `only ${run.passed} passed:\n${run.failures}`);
});
