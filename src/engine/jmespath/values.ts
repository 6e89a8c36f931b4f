// Value semantics shared by the interpreter and the functions: truthiness, equality,
// type names and Go-compatible JSON encoding (Kyverno prints values the way Go's
// encoding/json does, so results must be byte-identical to be comparable).
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { ExpressionRef, FunctionArg } from './types.js';

/** JMESPath type names, as returned by type(). */
export type JmesType = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'null';

export function typeOf(value: JsonValue): JmesType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isExpressionRef(arg: FunctionArg): arg is ExpressionRef {
  return (
    typeof arg === 'object' &&
    arg !== null &&
    !Array.isArray(arg) &&
    (arg as { kind?: unknown }).kind === 'expref' &&
    typeof (arg as { evaluate?: unknown }).evaluate === 'function'
  );
}

/** JMESPath falsiness: false, null, "", [] and {} are false; every number (even 0) is true. */
export function isFalse(value: JsonValue): boolean {
  if (value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    for (const _key in value) return false;
    return true;
  }
  return false;
}

/** Structural equality (key order does not matter), as Go's reflect.DeepEqual on decoded JSON. */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!deepEqual(a[i] as JsonValue, b[i] as JsonValue)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.hasOwn(b, key) || !deepEqual(a[key] as JsonValue, b[key] as JsonValue)) return false;
  }
  return true;
}

/** Own-property lookup, so keys such as "constructor" or "__proto__" never reach the prototype. */
export function getOwn(obj: JsonObject, key: string): JsonValue | undefined {
  // JSON values are never functions, and "__proto__" is the one inherited non-function: a single
  // property read answers for every other key (hasOwn + read costs two dictionary probes).
  if (key === '__proto__') return Object.hasOwn(obj, key) ? obj[key] : undefined;
  const v = obj[key];
  return typeof v === 'function' ? undefined : v;
}

/** Assignment that stores "__proto__" as a plain key instead of changing the prototype. */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

const goEscapes: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => goEscapes[c] ?? c);
}

/**
 * JSON text exactly as Go's json.Marshal writes decoded JSON: compact, object keys sorted,
 * and <, >, & escaped. Used by to_string() and by anything that prints values like Kyverno.
 */
export function goJsonString(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  // String() prints finite numbers exactly as JSON.stringify() does, without its generic entry.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJsonString).join(',')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((k) => `${goQuote(k)}:${goJsonString(value[k] as JsonValue)}`).join(',')}}`;
}

/** Byte-order (UTF-8) string comparison, which is what Go's < on strings does. */
export function compareCodePoints(a: string, b: string): number {
  // For strings without surrogates, UTF-16 order equals code point order equals UTF-8 byte order.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A value rendered the way Go's %v prints decoded JSON, for error messages. */
export function goFormat(value: FunctionArg): string {
  if (value === null) return '<nil>';
  if (isExpressionRef(value)) return '{expref}';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `map[${keys.map((k) => `${k}:${goFormat(value[k] as JsonValue)}`).join(' ')}]`;
}
