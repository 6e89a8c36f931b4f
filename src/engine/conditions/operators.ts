// The condition operator table: names are matched case-insensitively, as Kyverno lowercases both
// sides before choosing a handler.
import type { JsonValue } from '../../api/json.js';
import { evaluateEquals, evaluateNotEquals } from './equality.js';
import { evaluateLegacyIn, evaluateSetOperator } from './membership.js';
import { evaluateDurationOrdering, evaluateOrdering } from './ordering.js';

type Check = (key: JsonValue, value: JsonValue) => boolean;

interface OperatorEntry {
  /** The canonical spelling, as Kyverno's ConditionOperators map lists it. */
  name: string;
  check: Check;
  /** Kept for compatibility; policy validation warns and suggests `alternatives`. */
  deprecated?: { alternatives: string[] };
}

const entries: OperatorEntry[] = [
  { name: 'Equal', check: evaluateEquals, deprecated: { alternatives: ['Equals'] } },
  { name: 'Equals', check: evaluateEquals },
  { name: 'NotEqual', check: evaluateNotEquals, deprecated: { alternatives: ['NotEquals'] } },
  { name: 'NotEquals', check: evaluateNotEquals },
  {
    name: 'In',
    check: (k, v) => evaluateLegacyIn(false, k, v),
    deprecated: { alternatives: ['AllIn', 'AnyIn'] },
  },
  {
    name: 'NotIn',
    check: (k, v) => evaluateLegacyIn(true, k, v),
    deprecated: { alternatives: ['AllNotIn', 'AnyNotIn'] },
  },
  { name: 'AnyIn', check: (k, v) => evaluateSetOperator('AnyIn', k, v) },
  { name: 'AllIn', check: (k, v) => evaluateSetOperator('AllIn', k, v) },
  { name: 'AnyNotIn', check: (k, v) => evaluateSetOperator('AnyNotIn', k, v) },
  { name: 'AllNotIn', check: (k, v) => evaluateSetOperator('AllNotIn', k, v) },
  { name: 'GreaterThan', check: (k, v) => evaluateOrdering('GreaterThan', k, v) },
  { name: 'GreaterThanOrEquals', check: (k, v) => evaluateOrdering('GreaterThanOrEquals', k, v) },
  { name: 'LessThan', check: (k, v) => evaluateOrdering('LessThan', k, v) },
  { name: 'LessThanOrEquals', check: (k, v) => evaluateOrdering('LessThanOrEquals', k, v) },
  {
    name: 'DurationGreaterThan',
    check: (k, v) => evaluateDurationOrdering('GreaterThan', k, v),
    deprecated: { alternatives: ['GreaterThan'] },
  },
  {
    name: 'DurationGreaterThanOrEquals',
    check: (k, v) => evaluateDurationOrdering('GreaterThanOrEquals', k, v),
    deprecated: { alternatives: ['GreaterThanOrEquals'] },
  },
  {
    name: 'DurationLessThan',
    check: (k, v) => evaluateDurationOrdering('LessThan', k, v),
    deprecated: { alternatives: ['LessThan'] },
  },
  {
    name: 'DurationLessThanOrEquals',
    check: (k, v) => evaluateDurationOrdering('LessThanOrEquals', k, v),
    deprecated: { alternatives: ['LessThanOrEquals'] },
  },
];

const byLowerName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));

function lookup(name: string): OperatorEntry | undefined {
  return byLowerName.get(name.toLowerCase());
}

/** Every operator name Kyverno accepts, in canonical spelling. */
export const conditionOperatorNames: readonly string[] = entries.map((e) => e.name);

export class UnknownOperatorError extends Error {
  constructor(readonly operator: string) {
    super(`failed to create handler for condition operator: ${operator} is not a valid operator`);
    this.name = 'UnknownOperatorError';
  }
}

/** True for any spelling (case-insensitive) of a supported operator. */
export function isKnownOperator(name: string): boolean {
  return lookup(name) !== undefined;
}

/** True for deprecated operators (Equal, NotEqual, In, NotIn, Duration*). */
export function isDeprecatedOperator(name: string): boolean {
  return lookup(name)?.deprecated !== undefined;
}

/** What to use instead of a deprecated operator; [] for current or unknown ones. */
export function deprecatedOperatorAlternatives(name: string): string[] {
  return [...(lookup(name)?.deprecated?.alternatives ?? [])];
}

/** The check of an operator (any spelling), looked up once; undefined for an unknown operator. */
export function operatorCheck(name: string): ((key: JsonValue, value: JsonValue) => boolean) | undefined {
  const entry = typeof name === 'string' ? lookup(name) : undefined;
  return entry?.check;
}

/** Evaluates one condition on already-substituted key and value. Throws UnknownOperatorError. */
export function checkCondition(key: JsonValue, operator: string, value: JsonValue): boolean {
  const entry = lookup(operator);
  if (entry === undefined) throw new UnknownOperatorError(operator);
  return entry.check(key, value);
}
