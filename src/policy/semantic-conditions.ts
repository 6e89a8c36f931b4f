// Checks of precondition / deny condition blocks: operator names (case-insensitive, as Kyverno
// matches them at run time), deprecated operators, and the values allowed for request.operation.
// Blocks inside validate / mutate are free-form to the schema, so every access here is defensive.
import type { JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';

export const conditionOperators = [
  'Equals',
  'NotEquals',
  'Equal',
  'NotEqual',
  'In',
  'AnyIn',
  'AllIn',
  'NotIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
] as const;

const byLowerCase = new Map(conditionOperators.map((op) => [op.toLowerCase(), op]));

const replacements: Readonly<Record<string, string>> = {
  In: 'AllIn or AnyIn',
  NotIn: 'AllNotIn or AnyNotIn',
  Equal: 'Equals',
  NotEqual: 'NotEquals',
  DurationGreaterThan: 'GreaterThan',
  DurationGreaterThanOrEquals: 'GreaterThanOrEquals',
  DurationLessThan: 'LessThan',
  DurationLessThanOrEquals: 'LessThanOrEquals',
};

/** The canonical spelling of an operator, or undefined when it is not one. */
export function canonicalOperator(op: string): string | undefined {
  return byLowerCase.get(op.toLowerCase());
}

const operations = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface ConditionCheckOptions {
  /** Rule preconditions and deny conditions need key, operator and value all present. */
  requireKeyAndValue: boolean;
}

function checkCondition(
  c: JsonValue,
  path: string,
  problems: ProblemList,
  opts: ConditionCheckOptions,
): void {
  if (!isJsonObject(c)) {
    problems.error(path, 'a condition must be an object with key, operator and value');
    return;
  }
  const op = c.operator;
  if (op === undefined || op === null || op === '') {
    problems.error(child(path, 'operator'), 'operator is required');
  } else if (typeof op === 'string') {
    const canonical = canonicalOperator(op);
    if (canonical === undefined) {
      problems.error(
        child(path, 'operator'),
        `unknown operator ${JSON.stringify(op)}: must be one of ${conditionOperators.join(', ')}`,
      );
    } else if (replacements[canonical] !== undefined) {
      problems.warning(
        child(path, 'operator'),
        `operator ${canonical} is deprecated: use ${replacements[canonical]} instead`,
      );
    }
  }
  if (opts.requireKeyAndValue) {
    for (const field of ['key', 'value'] as const) {
      if (c[field] === undefined || c[field] === null) {
        problems.error(child(path, field), `${field} is required in a condition`);
      }
    }
  }
  checkOperationValues(c.key, c.value, child(path, 'value'), problems);
}

// A key of exactly {{request.operation}} can only ever be one of the admission operations.
function checkOperationValues(
  key: JsonValue | undefined,
  value: JsonValue | undefined,
  path: string,
  problems: ProblemList,
): void {
  if (typeof key !== 'string' || key.replace(/\s/g, '') !== '{{request.operation}}') return;
  const check = (v: JsonValue, p: string): void => {
    if (typeof v !== 'string') return;
    if (v.startsWith('{{') && v.endsWith('}}')) return;
    if (!operations.includes(v)) {
      problems.error(
        p,
        `request.operation is never ${JSON.stringify(v)}: use one of ${operations.join(', ')}`,
      );
    }
  };
  if (Array.isArray(value)) value.forEach((v, i) => check(v, index(path, i)));
  else if (value !== undefined && value !== null) check(value, path);
}

/** Checks an `{any, all}` block, or (v1 legacy) a bare list of conditions. */
export function checkConditionBlock(
  block: JsonValue | undefined,
  path: string,
  problems: ProblemList,
  opts: ConditionCheckOptions,
): void {
  if (block === undefined || block === null) return;
  if (Array.isArray(block)) {
    block.forEach((c, i) => checkCondition(c, index(path, i), problems, opts));
    return;
  }
  if (!isJsonObject(block)) return;
  for (const key of ['any', 'all'] as const) {
    const list = block[key];
    if (Array.isArray(list))
      list.forEach((c, i) => checkCondition(c, index(child(path, key), i), problems, opts));
  }
}
