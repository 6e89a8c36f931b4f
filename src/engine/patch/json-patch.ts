// RFC 6902 JSON Patch with the options Kyverno applies mutate patches with: negative array indices
// (-1 is the last element; for add it appends), remove of a missing path is a no-op, and add creates
// missing parents (an array when the next segment is an index, else an object).
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { cloneJson, jsonEqual } from './json-util.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: JsonValue;
  from?: string;
}

export class JsonPatchError extends Error {}

type Container = JsonObject | JsonValue[];

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const isIndex = (s: string | undefined): boolean => s !== undefined && (s === '-' || /^-?\d+$/.test(s));

function arrayIndex(arr: JsonValue[], key: string, forAdd: boolean): number {
  if (key === '-') return arr.length;
  if (!/^-?\d+$/.test(key)) throw new JsonPatchError(`invalid array index ${key}`);
  let idx = Number(key);
  const size = forAdd ? arr.length + 1 : arr.length;
  if (idx < 0) {
    if (idx < -size) throw new JsonPatchError(`array index ${key} out of bounds`);
    idx += size;
  }
  if (idx >= size) throw new JsonPatchError(`array index ${key} out of bounds`);
  return idx;
}

function child(c: Container, key: string): JsonValue | undefined {
  if (Array.isArray(c)) {
    try {
      return c[arrayIndex(c, key, false)];
    } catch {
      return undefined;
    }
  }
  return Object.hasOwn(c, key) ? c[key] : undefined;
}

/** The container holding the last segment; with `create`, missing parents are made. */
function parentOf(doc: JsonValue, parts: string[], create: boolean): Container | undefined {
  let cur: JsonValue = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i] ?? '';
    if (!Array.isArray(cur) && !isJsonObject(cur)) return undefined;
    let next = child(cur, key);
    if ((next === undefined || next === null) && create) {
      next = isIndex(parts[i + 1]) ? [] : {};
      if (Array.isArray(cur)) cur.push(next);
      else cur[key] = next;
    }
    if (next === undefined) return undefined;
    cur = next;
  }
  return Array.isArray(cur) || isJsonObject(cur) ? cur : undefined;
}

function get(doc: JsonValue, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = doc;
  for (const key of parsePointer(path)) {
    if (cur === undefined || (!Array.isArray(cur) && !isJsonObject(cur))) return undefined;
    cur = child(cur, key);
  }
  return cur;
}

function add(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const parts = parsePointer(path);
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts, true);
  const key = parts[parts.length - 1] ?? '';
  if (parent === undefined)
    throw new JsonPatchError(`add operation does not apply: doc is missing path: ${path}`);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: JsonValue, path: string, allowMissing: boolean): JsonValue {
  const parts = parsePointer(path);
  const parent = parentOf(doc, parts, false);
  const key = parts[parts.length - 1] ?? '';
  const missing = (): JsonValue => {
    if (allowMissing) return doc;
    throw new JsonPatchError(`remove operation does not apply: doc is missing path: ${path}`);
  };
  if (parent === undefined) return missing();
  if (Array.isArray(parent)) {
    let idx: number;
    try {
      idx = arrayIndex(parent, key, false);
    } catch {
      return missing();
    }
    parent.splice(idx, 1);
  } else {
    if (!Object.hasOwn(parent, key)) return missing();
    delete parent[key];
  }
  return doc;
}

function replace(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const parts = parsePointer(path);
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts, false);
  const key = parts[parts.length - 1] ?? '';
  if (parent === undefined || child(parent, key) === undefined)
    throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}`);
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = value;
  else parent[key] = value;
  return doc;
}

/** Applies `ops` to a copy of `doc`. Throws JsonPatchError. */
export function applyJsonPatch(doc: JsonValue, ops: readonly JsonPatchOperation[]): JsonValue {
  let out = cloneJson(doc);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        out = add(out, op.path, cloneJson(op.value ?? null));
        break;
      case 'remove':
        out = remove(out, op.path, true);
        break;
      case 'replace':
        out = replace(out, op.path, cloneJson(op.value ?? null));
        break;
      case 'move': {
        const v = get(out, op.from ?? '');
        if (v === undefined)
          throw new JsonPatchError(
            `move operation does not apply: doc is missing from path: ${op.from ?? ''}`,
          );
        out = remove(out, op.from ?? '', false);
        out = add(out, op.path, v);
        break;
      }
      case 'copy': {
        const v = get(out, op.from ?? '');
        if (v === undefined)
          throw new JsonPatchError(
            `copy operation does not apply: doc is missing from path: ${op.from ?? ''}`,
          );
        out = add(out, op.path, cloneJson(v));
        break;
      }
      case 'test':
        if (!jsonEqual(get(out, op.path), op.value ?? null))
          throw new JsonPatchError(`testing value ${op.path} failed`);
        break;
      default:
        throw new JsonPatchError(`unexpected operation ${JSON.stringify((op as { op: unknown }).op)}`);
    }
  }
  return out;
}

/** Reads operations from parsed YAML/JSON; throws JsonPatchError on a malformed entry. */
export function toJsonPatch(value: JsonValue): JsonPatchOperation[] {
  if (!Array.isArray(value)) throw new JsonPatchError('a JSON patch must be a list of operations');
  return value.map((v, i) => {
    if (!isJsonObject(v) || typeof v['op'] !== 'string' || typeof v['path'] !== 'string')
      throw new JsonPatchError(`operation ${i}: op and path are required`);
    const op: JsonPatchOperation = { op: v['op'] as JsonPatchOperation['op'], path: v['path'] };
    if (v['value'] !== undefined) op.value = v['value'];
    if (typeof v['from'] === 'string') op.from = v['from'];
    return op;
  });
}
