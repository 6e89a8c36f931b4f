// The set operators AnyIn / AllIn / AnyNotIn / AllNotIn and the deprecated In / NotIn.
// Keys may be scalars or arrays (elements compared as fmt.Sprint text); values may be arrays,
// numbers, a JSON array encoded in a string (ConfigMap data), a plain string, or a range "1-10".
import type { JsonValue } from '../../api/json.js';
import { hasWildcard, wildcardMatch } from '../wildcard.js';
import { goSprint } from './go-values.js';
import { isRangePattern, matchesValuePattern } from './range.js';

export type SetOperator = 'AnyIn' | 'AllIn' | 'AnyNotIn' | 'AllNotIn';

/** Unmarshal of a string into []string: undefined when Go's json.Unmarshal would fail. */
function jsonStringArray(text: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return undefined;
  const out: string[] = [];
  for (const item of parsed) {
    if (item === null) out.push('');
    else if (typeof item === 'string') out.push(item);
    else return undefined;
  }
  return out;
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A string value as a list: a JSON array when the string is JSON, else the string itself. */
function stringValueList(value: string): string[] | undefined {
  return isValidJson(value) ? jsonStringArray(value) : [value];
}

const matchesEitherWay = (a: string, b: string): boolean => wildcardMatch(a, b) || wildcardMatch(b, a);

/** Scalar key (anyKeyExistsInArray); undefined when the value has an unusable type. */
function scalarFound(key: string, value: JsonValue): boolean | undefined {
  if (Array.isArray(value)) return value.some((v) => matchesEitherWay(goSprint(v), key));
  if (typeof value !== 'string') return undefined;
  if (wildcardMatch(value, key)) return true;
  if (isRangePattern(value)) return matchesValuePattern(key, value);
  const list = stringValueList(value);
  return list === undefined ? undefined : list.includes(key);
}

/** A value list split for lookups: exact texts in a set, wildcard patterns apart. */
interface ValueList {
  readonly all: readonly string[];
  readonly exact: ReadonlySet<string>;
  readonly patterns: readonly string[];
}

function valueList(values: readonly string[]): ValueList {
  const exact = new Set<string>();
  const patterns: string[] = [];
  for (const v of values) {
    if (hasWildcard(v)) patterns.push(v);
    else exact.add(v);
  }
  return { all: values, exact, patterns };
}

// Condition values written in a policy reach the operators as frozen arrays (compiled conditions
// share one frozen copy of every static operand): split those once, not on every evaluation.
const frozenLists = new WeakMap<readonly JsonValue[], ValueList>();

function arrayValueList(value: readonly JsonValue[]): ValueList {
  if (!Object.isFrozen(value)) return valueList(value.map(goSprint));
  let list = frozenLists.get(value);
  if (list === undefined) {
    list = valueList(value.map(goSprint));
    frozenLists.set(value, list);
  }
  return list;
}

/** How many keys match some value, either way round (as matchesEitherWay), without a regex per pair. */
function countFound(keys: string[], values: ValueList): number {
  let found = 0;
  for (const k of keys) {
    if (
      hasWildcard(k)
        ? values.all.some((v) => matchesEitherWay(k, v))
        : values.exact.has(k) || values.patterns.some((p) => wildcardMatch(p, k))
    )
      found++;
  }
  return found;
}

function decideForList(op: SetOperator, keys: string[], values: ValueList): boolean {
  const found = countFound(keys, values);
  switch (op) {
    case 'AnyIn':
      return found > 0;
    case 'AllIn':
      return found === keys.length;
    case 'AnyNotIn':
      return found < keys.length;
    case 'AllNotIn':
      return found === 0;
  }
}

function decideForRange(op: SetOperator, keys: string[], range: string): boolean {
  const inside = (k: string): boolean => matchesValuePattern(k, range);
  switch (op) {
    case 'AnyIn':
      return keys.some(inside);
    case 'AllIn':
      return keys.every(inside);
    case 'AnyNotIn':
      return keys.some((k) => !inside(k));
    case 'AllNotIn':
      return keys.every((k) => !inside(k));
  }
}

/** Array key (any/allSetExistsInArray); undefined when the value has an unusable type. */
function setDecision(op: SetOperator, keys: string[], value: JsonValue): boolean | undefined {
  if (Array.isArray(value)) return decideForList(op, keys, arrayValueList(value));
  if (typeof value === 'number') return decideForList(op, keys, valueList([goSprint(value)]));
  if (typeof value !== 'string') return undefined;
  if (keys.length === 1 && keys[0] === value) return op === 'AnyIn' || op === 'AllIn';
  if (isRangePattern(value)) return decideForRange(op, keys, value);
  const list = stringValueList(value);
  return list === undefined ? undefined : decideForList(op, keys, valueList(list));
}

function scalarKeyText(key: JsonValue): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return goSprint(key);
  return undefined;
}

export function evaluateSetOperator(op: SetOperator, key: JsonValue, value: JsonValue): boolean {
  if (Array.isArray(key)) return setDecision(op, key.map(goSprint), value) ?? false;
  const text = scalarKeyText(key);
  if (text === undefined) return false;
  const found = scalarFound(text, value);
  if (found === undefined) return false;
  return op === 'AnyIn' || op === 'AllIn' ? found : !found;
}

/** Deprecated In / NotIn: exact set membership, the key is the only wildcard pattern. */
export function evaluateLegacyIn(negate: boolean, key: JsonValue, value: JsonValue): boolean {
  if (Array.isArray(key)) {
    const keys = key.map(goSprint);
    let values: string[] | undefined;
    if (Array.isArray(value)) {
      values = value.every((v) => typeof v === 'string') ? value : undefined;
    } else if (typeof value === 'string') {
      if (keys.length === 1 && keys[0] === value) return !negate;
      values = jsonStringArray(value);
    }
    if (values === undefined) return false;
    const set = new Set(values);
    const allIn = keys.every((k) => set.has(k));
    return negate ? !allIn : allIn;
  }
  if (typeof key !== 'string' && typeof key !== 'number') return false;
  const text = goSprint(key);
  let found: boolean;
  if (Array.isArray(value)) {
    found = value.some((v) => wildcardMatch(text, goSprint(v)));
  } else if (typeof value === 'string') {
    if (wildcardMatch(value, text)) {
      found = true;
    } else {
      const list = jsonStringArray(value);
      if (list === undefined) return false;
      found = list.includes(text);
    }
  } else {
    return false;
  }
  return negate ? !found : found;
}
