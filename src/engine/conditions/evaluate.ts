// any/all condition blocks (preconditions, deny conditions) with Kyverno's short-circuiting and
// message joining: the messages of the conditions that decided the outcome, joined with "; ".
import type { JsonValue } from '../../api/json.js';
import type { AnyAllConditions, Condition, Preconditions } from '../../api/policy.js';
import { checkCondition } from './operators.js';

export interface ConditionsOutcome {
  pass: boolean;
  message: string;
}

/** Substitutes variables in a key or value; throws when a variable cannot be resolved. */
export type ResolveVariables = (value: JsonValue) => JsonValue;

function joinNonEmpty(messages: string[], separator: string): string {
  return messages.filter((m) => m !== '').join(separator);
}

/** Key first, then value, then the operator: the order in which Kyverno reports failures. */
function evaluateOne(condition: Condition, resolve: ResolveVariables): boolean {
  const key = resolve(condition.key ?? null);
  const value = resolve(condition.value ?? null);
  return checkCondition(key, condition.operator, value);
}

/** Anything with Kyverno's optional condition message: a Condition, or a compiled form of one. */
export interface WithMessage {
  message?: string;
}

/** A preconditions/deny block over any condition representation. */
export type ConditionBlock<C extends WithMessage> = C[] | { any?: C[] | null; all?: C[] | null };

function evaluateAnyAll<C extends WithMessage>(
  anyList: C[] | null | undefined,
  allList: C[] | null | undefined,
  one: (condition: C) => boolean,
): ConditionsOutcome {
  const failed: string[] = [];
  const passed: string[] = [];
  let anyPassed = true;
  // A present `any` list needs one passing condition, even when the list is empty.
  if (anyList !== undefined && anyList !== null) {
    anyPassed = false;
    for (const condition of anyList) {
      if (one(condition)) {
        anyPassed = true;
        passed.push(condition.message ?? '');
        break;
      }
      failed.push(condition.message ?? '');
    }
  }
  let allPassed = true;
  for (const condition of allList ?? []) {
    if (!one(condition)) {
      allPassed = false;
      failed.push(condition.message ?? '');
      break;
    }
    passed.push(condition.message ?? '');
  }
  const pass = anyPassed && allPassed;
  return { pass, message: joinNonEmpty(pass ? passed : failed, '; ') };
}

/** The v1 bare list: every condition must pass; stops at the first that does not. */
function evaluateList<C extends WithMessage>(
  conditions: C[],
  one: (condition: C) => boolean,
): ConditionsOutcome {
  const passed: string[] = [];
  for (const condition of conditions) {
    if (!one(condition)) return { pass: false, message: condition.message ?? '' };
    passed.push(condition.message ?? '');
  }
  return { pass: true, message: joinNonEmpty(passed, ';') };
}

/**
 * evaluateConditions() over another representation of the conditions (e.g. compiled ones), with
 * `one` deciding a single condition. Same short-circuiting and messages.
 */
export function evaluateConditionBlock<C extends WithMessage>(
  conditions: ConditionBlock<C> | undefined | null,
  one: (condition: C) => boolean,
): ConditionsOutcome {
  if (conditions === undefined || conditions === null) return { pass: true, message: '' };
  if (Array.isArray(conditions)) return evaluateList(conditions, one);
  return evaluateAnyAll(conditions.any, conditions.all, one);
}

/**
 * Evaluates preconditions or deny conditions. Absent conditions pass. Errors from `resolve` and
 * unknown operators propagate: Kyverno turns them into an `error` rule result, not a skip.
 */
export function evaluateConditions(
  conditions: Preconditions | AnyAllConditions | undefined,
  resolve: ResolveVariables,
): ConditionsOutcome {
  return evaluateConditionBlock<Condition>(conditions, (c) => evaluateOne(c, resolve));
}
