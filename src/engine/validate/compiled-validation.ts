// Runs the body of a compiled validate rule (deny, pattern / anyPattern, foreach) without awaiting:
// the same order of checks, verdicts and messages as validation.ts, over parts parsed once. The
// context is only built when something reads it, and each foreach element gets its own context
// (the parent's names plus the element's) instead of a checkpoint and four writes.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { CompiledConditions } from '../conditions/compiled.js';
import { evaluateCompiledConditions } from '../conditions/compiled.js';
import { errorText } from '../rule-context.js';
import type { EvalContext } from '../variables/context.js';
import { substituteAll } from '../variables/substitute.js';
import { compilePattern } from './compiled-pattern.js';
import type { CompiledBody, CompiledForeach } from './compiled-rule.js';
import { checkedAnyPattern } from './compiled-rule.js';
import { elementContext, lenientView } from './rule-scope.js';
import type { CheckedPatterns, MessageScope, Verdict } from './verdicts.js';
import { denyVerdict, patternVerdict } from './verdicts.js';

export interface BodyState extends MessageScope {
  /** The resource patterns check, when no foreach element is in scope. */
  readonly resource: JsonObject | undefined;
  /** The foreach element patterns check instead of the resource (elementScope). */
  readonly element: JsonObject | undefined;
  readonly nesting: number;
  readonly foreachValues: Record<string, JsonValue[]> | undefined;
}

/** Preconditions or deny conditions; absent ones pass without building a context. */
export function conditionsHold(
  conditions: CompiledConditions,
  ctx: () => EvalContext,
  operation: string,
  path: string,
): { pass: boolean; message: string } {
  if (conditions === undefined || conditions === null) return { pass: true, message: '' };
  return evaluateCompiledConditions(conditions, lenientView(ctx()), { operation, path });
}

export function runCompiledBody(b: CompiledBody, s: BodyState): Verdict | undefined {
  if (b.deny !== undefined) {
    let denied: boolean;
    try {
      denied = conditionsHold(b.deny.conditions, () => s.context(), s.operation, '/validate/deny').pass;
    } catch (e) {
      return { status: 'error', message: `failed to check deny conditions: ${errorText(e)}` };
    }
    return denyVerdict(denied, s);
  }
  if (b.patterns !== undefined) {
    let checked: CheckedPatterns;
    if ('fixed' in b.patterns) checked = b.patterns.fixed;
    else {
      const { kind, doc, path } = b.patterns;
      try {
        const v = substituteAll(doc, s.context(), { operation: s.operation, path });
        checked = kind === 'pattern' ? { kind, node: compilePattern(v) } : checkedAnyPattern(v);
      } catch (e) {
        return { status: 'error', message: `variable substitution failed: ${errorText(e)}` };
      }
    }
    const target = s.element ?? s.resource;
    if (target === undefined) return undefined;
    return patternVerdict(target, checked, s);
  }
  if (b.foreach !== undefined) return forEach(b.foreach, s);
  return undefined;
}

function forEach(entries: readonly CompiledForeach[], s: BodyState): Verdict {
  const ctx = s.context();
  let applied = 0;
  for (const fe of entries) {
    let elements: JsonValue[];
    try {
      const listed = fe.list.evaluate(ctx, s.operation);
      elements = Array.isArray(listed) ? listed : [listed];
    } catch {
      continue;
    }
    const r = eachElement(fe, elements, ctx, s);
    if (r.verdict.status !== 'pass') return r.verdict;
    applied += r.applied;
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped' };
  return { status: 'pass', message: 'rule passed' };
}

function eachElement(
  fe: CompiledForeach,
  elements: JsonValue[],
  parent: EvalContext,
  s: BodyState,
): { verdict: Verdict; applied: number } {
  let applied = 0;
  for (const [index, element] of elements.entries()) {
    if (element === null) continue;
    const scoped = fe.elementScope ?? isJsonObject(element);
    if (scoped && !isJsonObject(element)) {
      const message = `cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got type=${Array.isArray(element) ? 'array' : typeof element}`;
      return { verdict: { status: 'error', message: `failed to process foreach: ${message}` }, applied };
    }
    const ctx = elementContext(parent, element, index, s.nesting, s.foreachValues);
    const r = elementVerdict(fe, ctx, {
      ...s,
      context: () => ctx,
      element: scoped && isJsonObject(element) ? element : undefined,
      nesting: s.nesting + 1,
    });
    if (r === undefined || r.status === 'skip') continue;
    if (r.status === 'error' && index < elements.length - 1) continue;
    if (r.status !== 'pass')
      return { verdict: { status: r.status, message: `validation failure: ${r.message}` }, applied };
    applied++;
  }
  return { verdict: { status: 'pass', message: '' }, applied };
}

function elementVerdict(fe: CompiledForeach, ctx: EvalContext, s: BodyState): Verdict | undefined {
  try {
    fe.context.load(ctx, s.operation);
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${errorText(e)}` };
  }
  try {
    const pre = conditionsHold(fe.preconditions, () => ctx, s.operation, '/validate/foreach/preconditions');
    if (!pre.pass) return { status: 'skip', message: 'preconditions not met' };
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorText(e)}` };
  }
  return runCompiledBody(fe, s);
}
