// The range strings the set operators accept as a value ("1-10", "100Mi-1Gi"), evaluated like
// Kyverno's pattern.Validate: endpoints compare as resource quantities, "a!-b" means outside.
import { compareQuantities, tryParseQuantity } from '../units/quantity.js';
import { wildcardMatch } from '../wildcard.js';

type PatternOperator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const notInRange = /^(\d+(\.\d+)?)([^-]*)!-(\d+(\.\d+)?)([^-]*)$/;
const inRange = /^(\d+(\.\d+)?)([^-]*)-(\d+(\.\d+)?)([^-]*)$/;

function operatorOf(pattern: string): PatternOperator {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) {
    if (pattern.startsWith(op)) return op;
  }
  if (notInRange.test(pattern)) return '!-';
  if (inRange.test(pattern)) return '-';
  return '';
}

/** strings.Trim(s, " "): only spaces, unlike String#trim. */
function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}

/** True for "1-10"-style strings, which the set operators treat as inclusive ranges. */
export function isRangePattern(value: string): boolean {
  return operatorOf(value) === '-';
}

function compareAsQuantities(value: string, pattern: string, op: PatternOperator): boolean {
  const p = tryParseQuantity(pattern);
  const v = tryParseQuantity(value);
  if (p === undefined || v === undefined) return false;
  const c = compareQuantities(v, p);
  switch (op) {
    case '':
      return c === 0;
    case '!':
      return c !== 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    default:
      return false;
  }
}

function matchesSingle(value: string, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-') {
    const [low = '', high = ''] = pattern.split('-');
    return matchesSingle(value, `>= ${low}`) && matchesSingle(value, `<= ${high}`);
  }
  if (op === '!-') {
    const [low = '', high = ''] = pattern.split('!-');
    return matchesSingle(value, `< ${low}`) || matchesSingle(value, `> ${high}`);
  }
  const operand = pattern.slice(op.length).trim(); // strings.TrimSpace
  if (compareAsQuantities(value, operand, op)) return true;
  if (op === '' || op === '!') {
    const matched = wildcardMatch(operand, value);
    return op === '!' ? !matched : matched;
  }
  return false;
}

/** pattern.Validate for a string value against a string pattern ("|" = or, "&" = and). */
export function matchesValuePattern(value: string, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alternative) =>
    trimSpaces(alternative)
      .split('&')
      .every((part) => matchesSingle(value, trimSpaces(part))),
  );
}
