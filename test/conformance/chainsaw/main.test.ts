import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseArgs } from './main.js';

test('parseArgs: folders, options and repeatable --setup (resolved to absolute paths)', () => {
  assert.deepEqual(parseArgs(['a', '--parallel', '3', '--setup', 'crds', 'b', '--setup', '/x/more.yaml', '--report', 'r.txt']), {
    dirs: ['a', 'b'],
    parallel: 3,
    setup: [resolve('crds'), '/x/more.yaml'],
    report: 'r.txt',
  });
  assert.deepEqual(parseArgs(['a']), { dirs: ['a'], parallel: 2, setup: [] });
});

test('parseArgs rejects a missing value, an unknown option, no folder and a bad --parallel', () => {
  assert.throws(() => parseArgs(['a', '--setup']), { message: '--setup needs a value' });
  assert.throws(() => parseArgs(['a', '--crds', 'x']), { message: 'unknown option --crds' });
  assert.throws(() => parseArgs(['--parallel', '2']), /^Error: usage: main\.js DIR\.\.\./);
  assert.throws(() => parseArgs(['a', '--parallel', '0']), { message: '--parallel must be a positive integer' });
});
