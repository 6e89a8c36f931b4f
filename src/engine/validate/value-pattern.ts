// A leaf of a validate pattern against a resource value (Kyverno's pkg/engine/pattern):
// typed literals compare by type, strings may combine alternatives (`a | b`), conjunctions
// (`>1 & <5`), comparison operators (`>`, `>=`, `<`, `<=`, `!`), ranges (`1-5`, `1!-5`) and
// wildcards; numbers compare as durations, then as quantities, then as wildcard strings.
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { Quantity } from '../units/index.js';
import { compareQuantities, tryParseDuration, tryParseQuantity } from '../units/index.js';
import { wildcardMatch } from '../wildcard.js';

type Op = '' | '>=' | '<=' | '>' | '<' | '!' | 'range' | 'notRange';

const RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
const NOT_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

type Check = (value: JsonValue | undefined) => boolean;

/** Does `value` satisfy the pattern leaf `pattern`? */
export function matchesValuePattern(value: JsonValue | undefined, pattern: JsonValue): boolean {
  return compileValuePattern(pattern)(value);
}

/** The check of one pattern leaf, with a string pattern's alternatives and operands parsed once. */
export function compileValuePattern(pattern: JsonValue): Check {
  if (typeof pattern === 'boolean') return (value) => typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number')
    return Number.isInteger(pattern)
      ? (value) => intPattern(value, pattern)
      : (value) => floatPattern(value, pattern);
  if (pattern === null) return nilPattern;
  if (Array.isArray(pattern)) return () => false;
  if (isJsonObject(pattern)) return (value) => isJsonObject(value);
  return stringPatterns(pattern);
}

function intPattern(value: JsonValue | undefined, pattern: number): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value === pattern;
  if (typeof value === 'string') return /^[+-]?\d+$/.test(value) && Number(value) === pattern;
  return false;
}

function floatPattern(value: JsonValue | undefined, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') {
    const n = Number(value.trim() === '' ? NaN : value);
    return !Number.isNaN(n) && n === pattern;
  }
  return false;
}

function nilPattern(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'boolean') return !value;
  return false;
}

// `a | b & c`: any alternative whose conditions all hold.
function stringPatterns(pattern: string): Check {
  const alternatives = pattern.split('|').map((alternative) =>
    alternative
      .trim()
      .split('&')
      .map((c) => stringPattern(c.trim())),
  );
  return (value) => value === pattern || alternatives.some((all) => all.every((check) => check(value)));
}

function operatorOf(pattern: string): Op {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_RANGE.test(pattern)) return 'notRange';
  if (RANGE.test(pattern)) return 'range';
  return '';
}

function stringPattern(pattern: string): Check {
  const op = operatorOf(pattern);
  if (op === 'range') {
    const [, low = '', high = ''] = RANGE.exec(pattern) ?? [];
    const atLeast = stringPattern(`>= ${low}`);
    const atMost = stringPattern(`<= ${high}`);
    return (value) => atLeast(value) && atMost(value);
  }
  if (op === 'notRange') {
    const [, low = '', high = ''] = NOT_RANGE.exec(pattern) ?? [];
    const below = stringPattern(`< ${low}`);
    const above = stringPattern(`> ${high}`);
    return (value) => below(value) || above(value);
  }
  const operand = pattern.slice(op.length).trim();
  const duration = tryParseDuration(operand);
  const quantity = tryParseQuantity(operand);
  return (value) =>
    compareDurations(value, duration, op) ||
    compareQuantity(value, quantity, op) ||
    compareString(value, operand, op);
}

function ordered(cmp: number, op: Op): boolean {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return false;
  }
}

/** Go's fmt for numbers before they are parsed as durations or quantities. */
function numberText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function compareDurations(value: JsonValue | undefined, p: bigint | undefined, op: Op): boolean {
  const text = numberText(value);
  if (p === undefined || text === undefined) return false;
  const v = tryParseDuration(text);
  if (v === undefined) return false;
  return ordered(v === p ? 0 : v > p ? 1 : -1, op);
}

function compareQuantity(value: JsonValue | undefined, p: Quantity | undefined, op: Op): boolean {
  const text = numberText(value);
  if (p === undefined || text === undefined) return false;
  const v = tryParseQuantity(text);
  if (v === undefined) return false;
  return ordered(compareQuantities(v, p), op);
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64). */
function goExponent(v: number): string {
  const [mantissa = '0', exp = '0'] = v.toExponential().split('e');
  const n = Number(exp);
  return `${mantissa}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

function compareString(value: JsonValue | undefined, pattern: string, op: Op): boolean {
  if (op !== '' && op !== '!') return false;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') text = String(value);
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : goExponent(value);
  else return false;
  const matched = wildcardMatch(pattern, text);
  return op === '!' ? !matched : matched;
}
