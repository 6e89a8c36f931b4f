import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../api/json.js';
import type { JsonPatchOperation } from './json-patch.js';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { diffJsonPatch } from './diff.js';

const cases: [string, JsonValue, JsonPatchOperation[], JsonValue][] = [
  ['add to object', { a: 1 }, [{ op: 'add', path: '/b', value: 2 }], { a: 1, b: 2 }],
  ['append with -', { a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }], { a: [1, 2] }],
  ['add at -1 appends', { a: [1] }, [{ op: 'add', path: '/a/-1', value: 2 }], { a: [1, 2] }],
  ['insert at 0', { a: [1] }, [{ op: 'add', path: '/a/0', value: 0 }], { a: [0, 1] }],
  ['add creates missing parents', {}, [{ op: 'add', path: '/a/b/0/c', value: 1 }], { a: { b: [{ c: 1 }] } }],
  ['remove last with -1', { a: [1, 2] }, [{ op: 'remove', path: '/a/-1' }], { a: [1] }],
  ['remove missing is a no-op', { a: 1 }, [{ op: 'remove', path: '/b/c' }], { a: 1 }],
  ['replace', { a: 1 }, [{ op: 'replace', path: '/a', value: 3 }], { a: 3 }],
  ['move', { a: 1 }, [{ op: 'move', from: '/a', path: '/b' }], { b: 1 }],
  ['copy', { a: [1] }, [{ op: 'copy', from: '/a', path: '/b' }], { a: [1], b: [1] }],
  ['escaped pointer', { 'a/b': 1 }, [{ op: 'replace', path: '/a~1b', value: 2 }], { 'a/b': 2 }],
];

for (const [name, doc, ops, want] of cases) {
  test(`json patch: ${name}`, () => {
    assert.deepEqual(applyJsonPatch(doc, ops), want);
  });
}

test('json patch: replace of a missing path and a failed test throw', () => {
  assert.throws(() => applyJsonPatch({}, [{ op: 'replace', path: '/a', value: 1 }]), JsonPatchError);
  assert.throws(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), JsonPatchError);
});

test('diff produces a patch that reproduces the target', () => {
  const from: JsonValue = { a: 1, l: [1, 2], m: { x: 1 } };
  const to: JsonValue = { a: 2, l: [1], m: { x: 1, y: 2 } };
  assert.deepEqual(applyJsonPatch(from, diffJsonPatch(from, to)), to);
});
