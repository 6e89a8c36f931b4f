// Assertion trees (kyverno-json semantics, used by chainsaw's assert, error and check):
// maps match partially, arrays element-wise with equal length, a key "(expr)" projects the actual
// value through JMESPath, and a value "(expr)" is evaluated against the actual value at that spot.
import type { JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import type { Bindings } from './bindings.js';
import { evaluate, parseExpression, unescapeLiteral } from './expression.js';

export interface FieldError {
  /** Where in the actual object, e.g. "status.conditions[0].type". */
  path: string;
  message: string;
}

/** Every mismatch between the assertion tree and the actual value; empty means it matches. */
export function checkAssertion(expected: JsonValue, actual: JsonValue | undefined, bindings: Bindings): FieldError[] {
  const errors: FieldError[] = [];
  walk(expected, actual, '', bindings, errors);
  return errors;
}

function walk(expected: JsonValue, actual: JsonValue | undefined, path: string, bindings: Bindings, errors: FieldError[]): void {
  if (Array.isArray(expected)) {
    if (actual === undefined || actual === null) errors.push({ path, message: 'value is null' });
    else if (!Array.isArray(actual)) errors.push({ path, message: `expected an array, found ${kindOf(actual)}` });
    else if (actual.length !== expected.length)
      errors.push({ path, message: `lengths of slices don't match (expected ${expected.length}, found ${actual.length})` });
    else expected.forEach((item, i) => walk(item, actual[i], `${path}[${i}]`, bindings, errors));
    return;
  }
  if (isJsonObject(expected)) {
    walkMap(expected, actual, path, bindings, errors);
    return;
  }
  let want: JsonValue = expected;
  if (typeof expected === 'string') {
    const statement = parseExpression(expected);
    if (statement !== null) want = evaluate(statement, actual ?? null, bindings);
    else want = unescapeLiteral(expected);
  }
  if (!valuesMatch(want, actual ?? null)) errors.push({ path, message: `expected ${JSON.stringify(want)}, found ${JSON.stringify(actual ?? null)}` });
}

function walkMap(expected: Record<string, JsonValue>, actual: JsonValue | undefined, path: string, bindings: Bindings, errors: FieldError[]): void {
  const keys = Object.keys(expected);
  if (keys.length === 0) {
    if (actual === undefined || actual === null) errors.push({ path, message: 'invalid value, must not be null' });
    return;
  }
  for (const key of keys) {
    const sub = expected[key] ?? null;
    const statement = parseExpression(key);
    const childPath = path === '' ? key : `${path}.${key}`;
    if (statement !== null) {
      walk(sub, evaluate(statement, actual ?? null, bindings), childPath, bindings, errors);
      continue;
    }
    const name = unescapeLiteral(key);
    if (actual === undefined || actual === null) {
      errors.push({ path: childPath, message: 'field not found in the input object' });
    } else if (!isJsonObject(actual)) {
      errors.push({ path, message: `expected an object, found ${kindOf(actual)}` });
      return;
    } else if (!(name in actual)) {
      errors.push({ path: childPath, message: 'field not found in the input object' });
    } else {
      walk(sub, actual[name], childPath, bindings, errors);
    }
  }
}

/** kyverno-json's match: a computed expected value still matches maps partially. */
export function valuesMatch(expected: JsonValue, actual: JsonValue): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => valuesMatch(e, actual[i] ?? null));
  }
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return false;
    return Object.entries(expected).every(([k, v]) => k in actual && valuesMatch(v, actual[k] ?? null));
  }
  return expected === actual;
}

function kindOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
