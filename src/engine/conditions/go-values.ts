// Helpers that reproduce how Kyverno's Go operators see decoded JSON: fmt.Sprint text of a value,
// and the "is this string a duration?" probe that lets numbers (seconds) meet duration strings.
import type { JsonValue } from '../../api/json.js';
import { formatGoFloat } from '../units/go-number.js';
import { durationFromNanos, tryParseDuration } from '../units/duration.js';

/** fmt.Sprint of a decoded JSON value: 3 -> "3", 1e6 -> "1e+06", null -> "<nil>", maps as map[k:v]. */
export function goSprint(value: JsonValue): string {
  if (value === null) return '<nil>';
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  const keys = Object.keys(value).sort();
  return `map[${keys.map((k) => `${k}:${goSprint(value[k] as JsonValue)}`).join(' ')}]`;
}

/** A string time.ParseDuration accepts, other than "0" (Kyverno excludes it so "0" stays a number). */
export function durationString(value: JsonValue): bigint | undefined {
  if (typeof value !== 'string' || value === '0') return undefined;
  return tryParseDuration(value);
}

/**
 * Kyverno's parseDuration(key, value): when at least one side is a duration string, both sides as
 * durations in nanoseconds (a number counts as whole seconds); undefined when that is not possible.
 */
export function asDurationPair(key: JsonValue, value: JsonValue): [bigint, bigint] | undefined {
  let k = durationString(key);
  let v = durationString(value);
  if (k === undefined && v === undefined) return undefined;
  // time.Duration(float) * time.Second: the float is truncated to an integer first.
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = durationFromNanos(key) * 1_000_000_000n;
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = durationFromNanos(value) * 1_000_000_000n;
  }
  return [k, v];
}
