// add, subtract, multiply, divide, modulo, sum and round over numbers, resource quantities and
// durations, with Kyverno's operand resolution ("0" is both a quantity and a duration) and its
// result formats (quantities and durations come back as canonical strings).
import type { JsonValue } from '../../../api/json.js';
import {
  durationFromNanos,
  durationSeconds,
  formatDuration,
  tryParseDuration,
} from '../../units/duration.js';
import { formatGoFloat } from '../../units/go-number.js';
import type { Quantity } from '../../units/quantity.js';
import {
  addQuantities,
  divideQuantities,
  formatQuantity,
  multiplyQuantities,
  parseQuantity,
  quantityFromInteger,
  quantityToNumber,
  subtractQuantities,
  tryParseQuantity,
} from '../../units/quantity.js';
import type { FunctionSpec } from '../types.js';
import { any, arg, functionError, intNumber, num, numberAt, spec } from './helpers.js';

type Operand =
  | { kind: 'scalar'; value: number }
  | { kind: 'quantity'; value: Quantity }
  | { kind: 'duration'; value: bigint };

interface Candidate {
  scalar?: number;
  quantity?: Quantity;
  duration?: bigint;
}

function candidate(value: JsonValue, operator: string): Candidate {
  if (typeof value === 'number') return { scalar: value };
  if (typeof value === 'string') {
    const c: Candidate = { quantity: tryParseQuantity(value), duration: tryParseDuration(value) };
    if (c.quantity !== undefined || c.duration !== undefined) return c;
  }
  throw functionError(operator, 'invalid operand');
}

function resolve(c: Candidate, durationContext: boolean): Operand {
  if (c.scalar !== undefined) return { kind: 'scalar', value: c.scalar };
  if (c.duration !== undefined && (c.quantity === undefined || durationContext))
    return { kind: 'duration', value: c.duration };
  return { kind: 'quantity', value: c.quantity as Quantity };
}

function operands(args: JsonValue[], operator: string): [Operand, Operand] {
  const c1 = candidate(args[0] ?? null, operator);
  const c2 = candidate(args[1] ?? null, operator);
  const durationOnly = (c: Candidate): boolean => c.duration !== undefined && c.quantity === undefined;
  const durationContext = durationOnly(c1) || durationOnly(c2);
  return [resolve(c1, durationContext), resolve(c2, durationContext)];
}

const mismatch = (operator: string): Error => functionError(operator, 'Types mismatch');
const zeroDivisor = (operator: string): Error => functionError(operator, 'Zero divisor passed');
const nonIntModulo = (): Error => functionError('modulo', 'Non-integer argument(s) passed for modulo');

/** A float scalar as a quantity, the way Kyverno converts it: ParseQuantity(fmt.Sprintf("%v", f)). */
function scalarQuantity(f: number): Quantity {
  return parseQuantity(formatGoFloat(f));
}

function add(a: Operand, b: Operand, operator: string): JsonValue {
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.value + b.value;
  if (a.kind === 'quantity' && b.kind === 'quantity') return formatQuantity(addQuantities(a.value, b.value));
  if (a.kind === 'duration' && b.kind === 'duration') return formatDuration(a.value + b.value);
  throw mismatch(operator);
}

function subtract(a: Operand, b: Operand): JsonValue {
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.value - b.value;
  if (a.kind === 'quantity' && b.kind === 'quantity')
    return formatQuantity(subtractQuantities(a.value, b.value));
  if (a.kind === 'duration' && b.kind === 'duration') return formatDuration(a.value - b.value);
  throw mismatch('subtract');
}

function scaleDuration(seconds: number): string {
  return formatDuration(durationFromNanos(seconds * 1e9));
}

function multiply(a: Operand, b: Operand): JsonValue {
  if (a.kind === 'scalar' && b.kind === 'scalar') return a.value * b.value;
  if (a.kind === 'scalar') return multiply(b, a);
  if (b.kind !== 'scalar') throw mismatch('multiply');
  if (a.kind === 'quantity') return formatQuantity(multiplyQuantities(a.value, scalarQuantity(b.value)));
  return scaleDuration(durationSeconds(a.value) * b.value);
}

function divide(a: Operand, b: Operand): JsonValue {
  if (a.kind === 'scalar') {
    if (b.kind !== 'scalar') throw mismatch('divide');
    if (b.value === 0) throw zeroDivisor('divide');
    return a.value / b.value;
  }
  if (a.kind === 'quantity') {
    if (b.kind === 'quantity') {
      const divisor = quantityToNumber(b.value);
      if (divisor === 0) throw zeroDivisor('divide');
      return quantityToNumber(a.value) / divisor;
    }
    if (b.kind !== 'scalar') throw mismatch('divide');
    if (b.value === 0) throw zeroDivisor('divide');
    return formatQuantity(divideQuantities(a.value, scalarQuantity(b.value)));
  }
  if (b.kind === 'duration') {
    if (b.value === 0n) throw zeroDivisor('divide');
    return durationSeconds(a.value) / durationSeconds(b.value);
  }
  if (b.kind !== 'scalar') throw mismatch('divide');
  if (b.value === 0) throw zeroDivisor('divide');
  return scaleDuration(durationSeconds(a.value) / b.value);
}

function integral(f: number): bigint {
  const i = Math.trunc(f);
  if (i !== f || !Number.isFinite(f)) throw nonIntModulo();
  return BigInt(i);
}

function modulo(a: Operand, b: Operand): JsonValue {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    const x = integral(a.value);
    const y = integral(b.value);
    if (y === 0n) throw zeroDivisor('modulo');
    return Number(x % y);
  }
  if (a.kind === 'quantity' && b.kind === 'quantity') {
    const x = integral(quantityToNumber(a.value));
    const y = integral(quantityToNumber(b.value));
    if (y === 0n) throw zeroDivisor('modulo');
    return formatQuantity(quantityFromInteger(x % y, a.value.format));
  }
  if (a.kind === 'duration' && b.kind === 'duration') {
    if (b.value === 0n) throw zeroDivisor('modulo');
    return formatDuration(a.value % b.value);
  }
  throw mismatch('modulo');
}

/** Go's math.Round: halves away from zero. */
function goRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

export const arithmeticFunctions: FunctionSpec[] = [
  spec('add', [any, any], (a) => add(...operands(a, 'add'), 'add')),
  spec('subtract', [any, any], (a) => subtract(...operands(a, 'subtract'))),
  spec('multiply', [any, any], (a) => multiply(...operands(a, 'multiply'))),
  spec('divide', [any, any], (a) => divide(...operands(a, 'divide'))),
  spec('modulo', [any, any], (a) => modulo(...operands(a, 'modulo'))),
  spec('sum', [arg('array')], (a) => {
    const items = (a[0] ?? []) as JsonValue[];
    if (items.length === 0) throw functionError('sum', 'at least one element in the array is required');
    let result = items[0] as JsonValue;
    for (const item of items.slice(1)) result = add(...operands([result, item], 'sum'), 'sum');
    return result;
  }),
  spec('round', [num, num], (a) => {
    const places = intNumber(numberAt(a, 1));
    if (places === undefined) throw functionError('round', 'Non-integer argument(s) passed for round off');
    // Kyverno formats this message without its arguments; Go prints the placeholders as below.
    if (places < 0) throw functionError('round', '%!d(MISSING) argument is out of bounds (%!d(MISSING))');
    const shift = 10 ** places;
    return goRound(numberAt(a, 0) * shift) / shift;
  }),
];
