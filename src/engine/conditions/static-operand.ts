// Conditions whose value is written in the policy without variables (`value: 'skip*'`, `value: prod`)
// are decided by a check specialised for that value at compile time: what the value is (a duration,
// a quantity, a number, a wildcard pattern) is worked out once instead of on every evaluation. Each
// specialised check gives exactly the verdict of the generic operator (static-operand.test.ts).
import type { JsonValue } from '../../api/json.js';
import { parseGoFloat } from '../units/go-number.js';
import type { Quantity } from '../units/quantity.js';
import { compareQuantities, tryParseQuantity } from '../units/quantity.js';
import { wildcardMatcher } from '../wildcard.js';
import { durationString } from './go-values.js';

/** Decides a condition from its substituted key alone; the value is built in. */
export type KeyCheck = (key: JsonValue) => boolean;

const EQUAL = 1;
const NOT_EQUAL = 0;
const UNPARSABLE = -1;
type Comparison = typeof EQUAL | typeof NOT_EQUAL | typeof UNPARSABLE;

/** equality.ts's comparison of a key with one fixed string value, with the value's readings precomputed. */
function stringValueComparisons(value: string): {
  stringKey: (key: string) => Comparison;
  numberKey: (key: number) => Comparison;
} {
  const valueDuration = durationString(value);
  const valueQuantity: Quantity | undefined = tryParseQuantity(value);
  const valueNumber = parseGoFloat(value);
  const matches = wildcardMatcher(value);
  return {
    stringKey(key) {
      // Durations apply only when both sides are duration strings (a string key is never seconds).
      if (valueDuration !== undefined) {
        const keyDuration = durationString(key);
        if (keyDuration !== undefined) return keyDuration === valueDuration ? EQUAL : NOT_EQUAL;
      }
      const keyQuantity = tryParseQuantity(key);
      if (keyQuantity !== undefined) {
        if (valueQuantity === undefined) return UNPARSABLE;
        return compareQuantities(keyQuantity, valueQuantity) === 0 ? EQUAL : NOT_EQUAL;
      }
      return matches(key) ? EQUAL : NOT_EQUAL;
    },
    numberKey(key) {
      if (valueNumber === undefined) return UNPARSABLE;
      return valueNumber === key ? EQUAL : NOT_EQUAL;
    },
  };
}

function equalsString(value: string): KeyCheck {
  const { stringKey, numberKey } = stringValueComparisons(value);
  return (key) => {
    if (typeof key === 'string') return stringKey(key) === EQUAL;
    if (typeof key === 'number') return numberKey(key) === EQUAL;
    // null, booleans, arrays and maps never equal a string.
    return false;
  };
}

function notEqualsString(value: string): KeyCheck {
  const { stringKey, numberKey } = stringValueComparisons(value);
  return (key) => {
    // An unparsable string is "not not-equal", an unparsable number is not-equal: as Kyverno's handler.
    if (typeof key === 'string') return stringKey(key) === NOT_EQUAL;
    if (typeof key === 'number') return numberKey(key) !== EQUAL;
    return key !== null;
  };
}

/**
 * A check specialised for `operator` with this static `value`, or undefined when the operator (any
 * spelling) has no specialisation for values of this type; the generic check applies then.
 */
export function staticValueCheck(operator: string, value: JsonValue): KeyCheck | undefined {
  if (typeof value !== 'string') return undefined;
  switch (operator.toLowerCase()) {
    case 'equal':
    case 'equals':
      return equalsString(value);
    case 'notequal':
    case 'notequals':
      return notEqualsString(value);
    default:
      return undefined;
  }
}
