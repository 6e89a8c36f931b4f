// GreaterThan / GreaterThanOrEquals / LessThan / LessThanOrEquals (numbers, durations, resource
// quantities, semver) and the deprecated Duration* variants, following Kyverno's
// NumericOperatorHandler and DurationOperatorHandler probe order.
import type { JsonValue } from '../../api/json.js';
import { durationFromNanos, durationSeconds, tryParseDuration } from '../units/duration.js';
import { parseGoFloat } from '../units/go-number.js';
import { compareQuantities, tryParseQuantity } from '../units/quantity.js';
import { compareSemver, isStrictSemver } from '../units/semver.js';
import { asDurationPair } from './go-values.js';

export type Ordering = 'GreaterThan' | 'GreaterThanOrEquals' | 'LessThan' | 'LessThanOrEquals';

function holds(op: Ordering, a: number | bigint, b: number | bigint): boolean {
  switch (op) {
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanOrEquals':
      return a >= b;
    case 'LessThan':
      return a < b;
    case 'LessThanOrEquals':
      return a <= b;
  }
}

function withNumberKey(op: Ordering, key: number, value: JsonValue): boolean {
  if (typeof value === 'number') return holds(op, key, value);
  if (typeof value !== 'string') return false;
  const durations = asDurationPair(key, value);
  if (durations !== undefined) return holds(op, durationSeconds(durations[0]), durationSeconds(durations[1]));
  const parsed = parseGoFloat(value);
  return parsed !== undefined && holds(op, key, parsed);
}

function withStringKey(op: Ordering, key: string, value: JsonValue): boolean {
  const durations = asDurationPair(key, value);
  if (durations !== undefined) return holds(op, durationSeconds(durations[0]), durationSeconds(durations[1]));
  const keyQuantity = tryParseQuantity(key);
  const valueQuantity = typeof value === 'string' ? tryParseQuantity(value) : undefined;
  if (keyQuantity !== undefined && valueQuantity !== undefined) {
    return holds(op, compareQuantities(keyQuantity, valueQuantity), 0);
  }
  const keyNumber = parseGoFloat(key);
  if (keyNumber !== undefined) return withNumberKey(op, keyNumber, value);
  if (isStrictSemver(key)) {
    return typeof value === 'string' && isStrictSemver(value) && holds(op, compareSemver(key, value), 0);
  }
  return false;
}

/** The ordering operators: false whenever the two sides cannot be read as comparable values. */
export function evaluateOrdering(op: Ordering, key: JsonValue, value: JsonValue): boolean {
  if (typeof key === 'number') return withNumberKey(op, key, value);
  if (typeof key === 'string') return withStringKey(op, key, value);
  return false;
}

/** A Duration* operand: a number is whole seconds (truncated), a string must be a Go duration. */
function asDuration(value: JsonValue): bigint | undefined {
  if (typeof value === 'number') return durationFromNanos(value) * 1_000_000_000n;
  if (typeof value === 'string') return tryParseDuration(value);
  return undefined;
}

/** Deprecated DurationGreaterThan & co: both sides are durations or the condition is false. */
export function evaluateDurationOrdering(op: Ordering, key: JsonValue, value: JsonValue): boolean {
  if (typeof key !== 'number' && typeof key !== 'string') return false;
  const k = asDuration(key);
  const v = asDuration(value);
  return k !== undefined && v !== undefined && holds(op, k, v);
}
