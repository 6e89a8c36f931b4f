// The JMESPath built-in function library with go-jmespath's behaviour (string ordering by
// code point, Go JSON encoding in to_string, error texts). Argument types are checked by
// call.ts before any of these bodies run, so the casts below are safe.
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { ArgSpec, ArgType, ExpressionRef, FunctionArg, FunctionSpec } from './types.js';
import { JmesPathError } from './types.js';
import { compareCodePoints, deepEqual, goJsonString, setOwn, typeOf } from './values.js';

function arg(...types: ArgType[]): ArgSpec {
  return { types };
}

function spec(name: string, args: ArgSpec[], call: (args: FunctionArg[]) => JsonValue): FunctionSpec {
  return { name, args, call };
}

const num = (a: FunctionArg[], i: number): number => a[i] as number;
const str = (a: FunctionArg[], i: number): string => a[i] as string;
const arr = (a: FunctionArg[], i: number): JsonValue[] => a[i] as JsonValue[];
const obj = (a: FunctionArg[], i: number): JsonObject => a[i] as JsonObject;
const ref = (a: FunctionArg[], i: number): ExpressionRef => a[i] as ExpressionRef;

/** Strings compare like Go strings (UTF-8 byte order); numbers numerically. */
function compareScalars(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return compareCodePoints(String(a), String(b));
}

function extreme(values: JsonValue[], wantMax: boolean): JsonValue {
  if (values.length === 0) return null;
  let best = values[0] as number | string;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number | string;
    const c = compareScalars(v, best);
    if (wantMax ? c > 0 : c < 0) best = v;
  }
  return best;
}

function extremeBy(values: JsonValue[], expr: ExpressionRef, wantMax: boolean): JsonValue {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0] as JsonValue;
  const first = expr.evaluate(values[0] as JsonValue);
  const kind = typeof first;
  if (kind !== 'number' && kind !== 'string') {
    throw new JmesPathError('invalid-type', 'Invalid type, must be number of string.');
  }
  let bestKey = first as number | string;
  let bestItem = values[0] as JsonValue;
  for (let i = 1; i < values.length; i++) {
    const item = values[i] as JsonValue;
    const key = expr.evaluate(item);
    if (typeof key !== kind) throw new JmesPathError('invalid-type', `Invalid type, must be ${kind}`);
    const c = compareScalars(key as number | string, bestKey);
    if (wantMax ? c > 0 : c < 0) {
      bestKey = key as number | string;
      bestItem = item;
    }
  }
  return bestItem;
}

function sortBy(values: JsonValue[], expr: ExpressionRef): JsonValue[] {
  if (values.length < 2) return values.slice();
  const keyed = values.map((item, index) => ({ item, index, key: expr.evaluate(item) }));
  const kind = typeof keyed[0]?.key;
  if (kind !== 'number' && kind !== 'string') {
    throw new JmesPathError('invalid-type', 'invalid type, must be number of string');
  }
  if (keyed.some((k) => typeof k.key !== kind))
    throw new JmesPathError('invalid-type', 'error in sort_by comparison');
  keyed.sort(
    (a, b) => compareScalars(a.key as number | string, b.key as number | string) || a.index - b.index,
  );
  return keyed.map((k) => k.item);
}

/** strconv.ParseFloat's decimal syntax; values that are not finite JSON numbers give null. */
function parseNumber(text: string): JsonValue {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const list: FunctionSpec[] = [
  spec('abs', [arg('number')], (a) => Math.abs(num(a, 0))),
  spec('avg', [arg('array-number')], (a) => {
    const values = arr(a, 0) as number[];
    if (values.length === 0) return null;
    let total = 0;
    for (const v of values) total += v;
    return total / values.length;
  }),
  spec('ceil', [arg('number')], (a) => Math.ceil(num(a, 0))),
  spec('contains', [arg('array', 'string'), arg('any')], (a) => {
    const subject = a[0] as JsonValue;
    const search = a[1] as JsonValue;
    if (typeof subject === 'string') return typeof search === 'string' && subject.includes(search);
    return (subject as JsonValue[]).some((item) => deepEqual(item, search));
  }),
  spec('ends_with', [arg('string'), arg('string')], (a) => str(a, 0).endsWith(str(a, 1))),
  spec('floor', [arg('number')], (a) => Math.floor(num(a, 0))),
  spec('join', [arg('string'), arg('array-string')], (a) => (arr(a, 1) as string[]).join(str(a, 0))),
  spec('keys', [arg('object')], (a) => Object.keys(obj(a, 0))),
  spec('length', [arg('string', 'array', 'object')], (a) => {
    const v = a[0] as JsonValue;
    if (typeof v === 'string') {
      let count = 0;
      for (const _ of v) count++;
      return count;
    }
    return Array.isArray(v) ? v.length : Object.keys(v as JsonObject).length;
  }),
  spec('map', [arg('expref'), arg('array')], (a) => arr(a, 1).map((item) => ref(a, 0).evaluate(item))),
  spec('max', [arg('array-number', 'array-string')], (a) => extreme(arr(a, 0), true)),
  spec('max_by', [arg('array'), arg('expref')], (a) => extremeBy(arr(a, 0), ref(a, 1), true)),
  spec('merge', [{ types: ['object'], variadic: true }], (a) => {
    const merged: JsonObject = {};
    for (const o of a as JsonObject[]) {
      for (const key of Object.keys(o)) setOwn(merged, key, o[key] as JsonValue);
    }
    return merged;
  }),
  spec('min', [arg('array-number', 'array-string')], (a) => extreme(arr(a, 0), false)),
  spec('min_by', [arg('array'), arg('expref')], (a) => extremeBy(arr(a, 0), ref(a, 1), false)),
  spec('not_null', [{ types: ['any'], variadic: true }], (a) => {
    for (const v of a as JsonValue[]) if (v !== null) return v;
    return null;
  }),
  spec('reverse', [arg('array', 'string')], (a) => {
    const v = a[0] as JsonValue;
    return typeof v === 'string' ? Array.from(v).reverse().join('') : (v as JsonValue[]).slice().reverse();
  }),
  spec('sort', [arg('array-string', 'array-number')], (a) =>
    (arr(a, 0) as (string | number)[]).slice().sort(compareScalars),
  ),
  spec('sort_by', [arg('array'), arg('expref')], (a) => sortBy(arr(a, 0), ref(a, 1))),
  spec('starts_with', [arg('string'), arg('string')], (a) => str(a, 0).startsWith(str(a, 1))),
  spec('sum', [arg('array-number')], (a) => {
    let total = 0;
    for (const v of arr(a, 0) as number[]) total += v;
    return total;
  }),
  spec('to_array', [arg('any')], (a) => {
    const v = a[0] as JsonValue;
    return Array.isArray(v) ? v : [v];
  }),
  spec('to_number', [arg('any')], (a) => {
    const v = a[0] as JsonValue;
    if (typeof v === 'number') return v;
    return typeof v === 'string' ? parseNumber(v) : null;
  }),
  spec('to_string', [arg('any')], (a) => {
    const v = a[0] as JsonValue;
    return typeof v === 'string' ? v : goJsonString(v);
  }),
  spec('type', [arg('any')], (a) => typeOf(a[0] as JsonValue)),
  spec('values', [arg('object')], (a) => Object.values(obj(a, 0))),
];

export const standardFunctions: ReadonlyMap<string, FunctionSpec> = new Map(list.map((f) => [f.name, f]));
