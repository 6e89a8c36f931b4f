// Preconditions compiled once per policy: operands parsed into templates, operators looked up, checks
// specialised for values without variables. Evaluation decides and explains exactly as
// evaluateConditions() does (same order, short-circuiting, messages and errors), but runs as a plain
// loop: no callback, and no message list unless some condition of the block has a message.
import type { JsonValue } from '../../api/json.js';
import type { AnyAllConditions, Condition, Preconditions } from '../../api/policy.js';
import type { EvalContext } from '../variables/context.js';
import type { DocTemplate, RenderOptions } from '../variables/doc-template.js';
import { compileDoc, renderDoc } from '../variables/doc-template.js';
import type { ConditionsOutcome } from './evaluate.js';
import { checkCondition, operatorCheck, UnknownOperatorError } from './operators.js';
import type { KeyCheck } from './static-operand.js';
import { staticValueCheck } from './static-operand.js';

interface CompiledCondition {
  readonly key: DocTemplate;
  readonly value: DocTemplate;
  readonly operator: string;
  /** undefined: an unknown operator, reported after the operands resolve (as Kyverno orders it). */
  readonly check: ((key: JsonValue, value: JsonValue) => boolean) | undefined;
  /** Set when the value has no variables and the operator has a check specialised for it. */
  readonly keyCheck: KeyCheck | undefined;
  readonly message: string;
}

interface CompiledBlock {
  /** The v1 bare list (every condition must pass), or undefined for an any/all block. */
  readonly list: readonly CompiledCondition[] | undefined;
  readonly any: readonly CompiledCondition[] | null | undefined;
  readonly all: readonly CompiledCondition[] | null | undefined;
  /** No condition has a message: every outcome is one of the two shared ones. */
  readonly silent: boolean;
  /** The message of a passing bare list (all of its messages). */
  readonly listPassMessage: string;
}

export type CompiledConditions = CompiledBlock | undefined | null;

// Outcomes are only read by callers; a block without messages shares these.
const PASS: ConditionsOutcome = Object.freeze({ pass: true, message: '' });
const FAIL: ConditionsOutcome = Object.freeze({ pass: false, message: '' });

export function compileConditions(
  conditions: Preconditions | AnyAllConditions | undefined,
): CompiledConditions {
  if (conditions === undefined || conditions === null) return conditions;
  if (Array.isArray(conditions)) {
    const list = conditions.map(compileCondition);
    return { list, any: undefined, all: undefined, silent: isSilent(list), listPassMessage: joined(list, ';') };
  }
  const { any, all } = conditions as { any?: Condition[] | null; all?: Condition[] | null };
  const anyList = any === undefined || any === null ? any : any.map(compileCondition);
  const allList = all === undefined || all === null ? all : all.map(compileCondition);
  return {
    list: undefined,
    any: anyList,
    all: allList,
    silent: isSilent(anyList ?? []) && isSilent(allList ?? []),
    listPassMessage: '',
  };
}

function compileCondition(c: Condition): CompiledCondition {
  const operator = c.operator;
  const check =
    typeof operator === 'string'
      ? operatorCheck(operator)
      : (k: JsonValue, v: JsonValue): boolean => checkCondition(k, operator, v);
  const value = compileDoc(c.value ?? null);
  const keyCheck =
    check !== undefined && typeof operator === 'string' && value.kind === 'static'
      ? staticValueCheck(operator, value.value)
      : undefined;
  return { key: compileDoc(c.key ?? null), value, operator, check, keyCheck, message: c.message ?? '' };
}

function isSilent(conditions: readonly CompiledCondition[]): boolean {
  return conditions.every((c) => c.message === '');
}

function joined(conditions: readonly CompiledCondition[], separator: string): string {
  return conditions
    .map((c) => c.message)
    .filter((m) => m !== '')
    .join(separator);
}

/** Key first, then value, then the operator: the order in which Kyverno reports failures. */
function holds(c: CompiledCondition, ctx: EvalContext, o: RenderOptions, base: string): boolean {
  const key = renderDoc(c.key, ctx, o, base);
  if (c.keyCheck !== undefined) return c.keyCheck(key);
  const value = renderDoc(c.value, ctx, o, base);
  if (c.check === undefined) throw new UnknownOperatorError(c.operator);
  return c.check(key, value);
}

/** Evaluates compiled conditions; `o.path` is where substitution errors point (/preconditions). */
export function evaluateCompiledConditions(
  conditions: CompiledConditions,
  ctx: EvalContext,
  o: RenderOptions,
): ConditionsOutcome {
  if (conditions === undefined || conditions === null) return PASS;
  const base = o.path ?? '';
  const list = conditions.list;
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) {
      const c = list[i] as CompiledCondition;
      if (!holds(c, ctx, o, base)) return conditions.silent ? FAIL : { pass: false, message: c.message };
    }
    return conditions.silent ? PASS : { pass: true, message: conditions.listPassMessage };
  }
  const { any, all } = conditions;
  // A present `any` list needs one passing condition, even when the list is empty.
  let anyPassedAt = -1;
  if (any !== undefined && any !== null) {
    for (let i = 0; i < any.length; i++) {
      if (holds(any[i] as CompiledCondition, ctx, o, base)) {
        anyPassedAt = i;
        break;
      }
    }
  }
  const anyPassed = any === undefined || any === null || anyPassedAt >= 0;
  // `all` is evaluated even when `any` failed (errors and random() calls depend on it).
  let allFailedAt = -1;
  if (all !== undefined && all !== null) {
    for (let i = 0; i < all.length; i++) {
      if (!holds(all[i] as CompiledCondition, ctx, o, base)) {
        allFailedAt = i;
        break;
      }
    }
  }
  const pass = anyPassed && allFailedAt < 0;
  if (conditions.silent) return pass ? PASS : FAIL;
  return { pass, message: anyAllMessage(conditions, pass, anyPassedAt, allFailedAt) };
}

/** The messages of the conditions that decided the outcome, as evaluateConditions() joins them. */
function anyAllMessage(block: CompiledBlock, pass: boolean, anyPassedAt: number, allFailedAt: number): string {
  const any = block.any ?? [];
  const all = block.all ?? [];
  const messages: string[] = [];
  if (pass) {
    if (anyPassedAt >= 0) messages.push((any[anyPassedAt] as CompiledCondition).message);
    for (const c of all) messages.push(c.message);
  } else {
    const anyFailed = anyPassedAt >= 0 ? anyPassedAt : any.length;
    for (let i = 0; i < anyFailed; i++) messages.push((any[i] as CompiledCondition).message);
    if (allFailedAt >= 0) messages.push((all[allFailedAt] as CompiledCondition).message);
  }
  return messages.filter((m) => m !== '').join('; ');
}
