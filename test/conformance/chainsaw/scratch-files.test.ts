import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeNewEntries, snapshotEntries } from './scratch-files.js';

test('removeNewEntries removes only what appeared after the snapshot, files and folders alike', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-scratch-'));
  try {
    writeFileSync(join(dir, 'chainsaw-test.yaml'), 'kind: Test\n');
    writeFileSync(join(dir, 'ns.yaml'), 'kind: Namespace\n');
    const before = snapshotEntries(dir);
    writeFileSync(join(dir, 'addrbuser.key'), 'key');
    writeFileSync(join(dir, 'temp'), 'kubeconfig');
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'x'), 'x');
    assert.deepEqual(removeNewEntries(dir, before), ['addrbuser.key', 'out', 'temp']);
    assert.deepEqual(readdirSync(dir).sort(), ['chainsaw-test.yaml', 'ns.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing folder snapshots as empty and removes nothing', () => {
  const dir = join(tmpdir(), 'sprout-scratch-does-not-exist');
  assert.equal(existsSync(dir), false);
  assert.deepEqual([...snapshotEntries(dir)], []);
  assert.deepEqual(removeNewEntries(dir, new Set()), []);
});
