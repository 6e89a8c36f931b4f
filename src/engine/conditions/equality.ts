// Equals / NotEquals as Kyverno's EqualHandler and NotEqualHandler decide them. The two are not
// exact negations: a null key makes both false, and a quantity key against a non-quantity string
// is false for both.
import type { JsonValue } from '../../api/json.js';
import { deepEqual } from '../jmespath/values.js';
import { parseGoFloat } from '../units/go-number.js';
import { compareQuantities, tryParseQuantity } from '../units/quantity.js';
import { wildcardMatch } from '../wildcard.js';
import { asDurationPair } from './go-values.js';

type Verdict = boolean;

/** Outcome of comparing a string key; 'mismatch' = value of an unusable type. */
function compareStringKey(key: string, value: JsonValue): { equal: boolean } | 'unparsable' | 'mismatch' {
  const durations = asDurationPair(key, value);
  if (durations !== undefined) return { equal: durations[0] === durations[1] };
  const keyQuantity = tryParseQuantity(key);
  if (keyQuantity !== undefined && typeof value === 'string') {
    const valueQuantity = tryParseQuantity(value);
    if (valueQuantity === undefined) return 'unparsable';
    return { equal: compareQuantities(keyQuantity, valueQuantity) === 0 };
  }
  // The value is the wildcard pattern.
  if (typeof value === 'string') return { equal: wildcardMatch(value, key) };
  return 'mismatch';
}

/** Number key: another number, or a string parsed with strconv.ParseFloat. */
function compareNumberKey(key: number, value: JsonValue): { equal: boolean } | 'unparsable' | 'mismatch' {
  if (typeof value === 'number') return { equal: key === value };
  if (typeof value === 'string') {
    const parsed = parseGoFloat(value);
    return parsed === undefined ? 'unparsable' : { equal: parsed === key };
  }
  return 'mismatch';
}

export function evaluateEquals(key: JsonValue, value: JsonValue): Verdict {
  if (key === null) return false;
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    const r = compareNumberKey(key, value);
    return typeof r === 'object' && r.equal;
  }
  if (typeof key === 'string') {
    const r = compareStringKey(key, value);
    return typeof r === 'object' && r.equal;
  }
  if (Array.isArray(key)) return Array.isArray(value) && deepEqual(key, value);
  return typeof value === 'object' && value !== null && !Array.isArray(value) && deepEqual(key, value);
}

export function evaluateNotEquals(key: JsonValue, value: JsonValue): Verdict {
  if (key === null) return false;
  if (typeof key === 'boolean') return typeof value !== 'boolean' || key !== value;
  if (typeof key === 'number') {
    const r = compareNumberKey(key, value);
    return typeof r === 'object' ? !r.equal : true;
  }
  if (typeof key === 'string') {
    const r = compareStringKey(key, value);
    if (r === 'unparsable') return false;
    return typeof r === 'object' ? !r.equal : true;
  }
  if (Array.isArray(key)) return !Array.isArray(value) || !deepEqual(key, value);
  return typeof value !== 'object' || value === null || Array.isArray(value) || !deepEqual(key, value);
}
