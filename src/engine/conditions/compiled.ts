// Preconditions compiled once per policy: operands parsed into templates, operators looked up.
// Evaluation is evaluateConditions() with the same order, short-circuiting, messages and errors.
import type { JsonValue } from '../../api/json.js';
import type { AnyAllConditions, Condition, Preconditions } from '../../api/policy.js';
import type { EvalContext } from '../variables/context.js';
import type { DocTemplate, RenderOptions } from '../variables/doc-template.js';
import { compileDoc, renderDoc } from '../variables/doc-template.js';
import type { ConditionBlock, ConditionsOutcome } from './evaluate.js';
import { evaluateConditionBlock } from './evaluate.js';
import { checkCondition, operatorCheck, UnknownOperatorError } from './operators.js';

interface CompiledCondition {
  readonly key: DocTemplate;
  readonly value: DocTemplate;
  readonly operator: string;
  /** undefined: an unknown operator, reported after the operands resolve (as Kyverno orders it). */
  readonly check: ((key: JsonValue, value: JsonValue) => boolean) | undefined;
  readonly message?: string;
}

export type CompiledConditions = ConditionBlock<CompiledCondition> | undefined | null;

export function compileConditions(
  conditions: Preconditions | AnyAllConditions | undefined,
): CompiledConditions {
  if (conditions === undefined || conditions === null) return conditions;
  if (Array.isArray(conditions)) return conditions.map(compileCondition);
  const { any, all } = conditions as { any?: Condition[] | null; all?: Condition[] | null };
  return {
    any: any === undefined || any === null ? any : any.map(compileCondition),
    all: all === undefined || all === null ? all : all.map(compileCondition),
  };
}

function compileCondition(c: Condition): CompiledCondition {
  const operator = c.operator;
  const check =
    typeof operator === 'string'
      ? operatorCheck(operator)
      : (k: JsonValue, v: JsonValue): boolean => checkCondition(k, operator, v);
  const compiled: CompiledCondition = {
    key: compileDoc(c.key ?? null),
    value: compileDoc(c.value ?? null),
    operator,
    check,
  };
  return c.message === undefined ? compiled : { ...compiled, message: c.message };
}

/** Evaluates compiled conditions; `o.path` is where substitution errors point (/preconditions). */
export function evaluateCompiledConditions(
  conditions: CompiledConditions,
  ctx: EvalContext,
  o: RenderOptions,
): ConditionsOutcome {
  const base = o.path ?? '';
  return evaluateConditionBlock(conditions, (c) => {
    const key = renderDoc(c.key, ctx, o, base);
    const value = renderDoc(c.value, ctx, o, base);
    if (c.check === undefined) throw new UnknownOperatorError(c.operator);
    return c.check(key, value);
  });
}
