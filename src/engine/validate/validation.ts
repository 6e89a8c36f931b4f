// The body of a validate rule (or of one foreach entry): deny, pattern / anyPattern, nested foreach.
// Shared by the rule and its foreach elements, as Kyverno's validator is. This is the general path,
// for rules whose context entries read the cluster (awaited); compiled-*.ts run all other rules.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { AnyAllConditions, ContextEntry, Preconditions } from '../../api/policy.js';
import { evaluateConditions } from '../conditions/index.js';
import { loadContext } from '../context/load.js';
import type { EvalEnv } from '../env.js';
import { addElement, conditionResolver, errorText, evaluateList } from '../rule-context.js';
import type { EvalContext } from '../variables/context.js';
import { substituteAll } from '../variables/substitute.js';
import { compilePattern } from './compiled-pattern.js';
import type { CheckedPatterns, MessageScope, Verdict } from './verdicts.js';
import { denyVerdict, patternVerdict } from './verdicts.js';

export type { Verdict } from './verdicts.js';

/** The fields a validate rule and a validate foreach entry share. */
export interface ValidationSpec {
  pattern?: JsonValue;
  anyPattern?: JsonValue;
  deny?: { conditions?: Preconditions | AnyAllConditions };
  foreach?: ForEachValidation[];
}

export interface ForEachValidation extends ValidationSpec {
  list: string;
  elementScope?: boolean;
  context?: ContextEntry[];
  preconditions?: AnyAllConditions | Preconditions;
}

export interface ValidationState {
  ruleName: string;
  /** The rule's `validate.message`, used by failures at every foreach depth. */
  ruleMessage?: string;
  ctx: EvalContext;
  env: EvalEnv;
  operation: string;
  /** The resource patterns check, when no foreach element is in scope. */
  resource: JsonObject | undefined;
  /** The foreach element patterns check instead of the resource (elementScope). */
  element?: JsonObject;
  nesting: number;
  foreachValues?: Record<string, JsonValue[]>;
}

export async function runValidation(spec: ValidationSpec, s: ValidationState): Promise<Verdict | undefined> {
  if (spec.deny !== undefined) return deny(spec.deny.conditions, s);
  if (spec.pattern !== undefined || spec.anyPattern !== undefined) {
    let pattern: JsonValue | undefined;
    let anyPattern: JsonValue | undefined;
    try {
      if (spec.pattern !== undefined)
        pattern = substituteAll(spec.pattern, s.ctx, { operation: s.operation, path: '/validate/pattern' });
      else if (spec.anyPattern !== undefined)
        anyPattern = substituteAll(spec.anyPattern, s.ctx, {
          operation: s.operation,
          path: '/validate/anyPattern',
        });
    } catch (e) {
      return { status: 'error', message: `variable substitution failed: ${errorText(e)}` };
    }
    const target = s.element ?? s.resource;
    if (target === undefined) return undefined;
    return validatePatterns(target, pattern, anyPattern, s);
  }
  if (spec.foreach !== undefined) return validateForEach(spec.foreach, s);
  return undefined;
}

function messageScope(s: ValidationState): MessageScope {
  return { ruleName: s.ruleName, ruleMessage: s.ruleMessage, operation: s.operation, context: () => s.ctx };
}

function deny(conditions: Preconditions | AnyAllConditions | undefined, s: ValidationState): Verdict {
  let denied: boolean;
  try {
    denied = evaluateConditions(conditions, conditionResolver(s.ctx, s.operation, '/validate/deny')).pass;
  } catch (e) {
    return { status: 'error', message: `failed to check deny conditions: ${errorText(e)}` };
  }
  return denyVerdict(denied, messageScope(s));
}

function validatePatterns(
  target: JsonObject,
  pattern: JsonValue | undefined,
  anyPattern: JsonValue | undefined,
  s: ValidationState,
): Verdict {
  const checked: CheckedPatterns =
    pattern !== undefined
      ? { kind: 'pattern', node: compilePattern(pattern) }
      : Array.isArray(anyPattern)
        ? { kind: 'anyPattern', nodes: anyPattern.map(compilePattern) }
        : { kind: 'invalid' };
  return patternVerdict(target, checked, messageScope(s));
}

async function validateForEach(entries: ForEachValidation[], s: ValidationState): Promise<Verdict> {
  let applied = 0;
  for (const fe of entries) {
    let elements: JsonValue[];
    try {
      elements = evaluateList(s.ctx, fe.list, s.operation);
    } catch {
      continue;
    }
    const r = await validateElements(fe, elements, s);
    if (r.verdict.status !== 'pass') return r.verdict;
    applied += r.applied;
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped' };
  return { status: 'pass', message: 'rule passed' };
}

async function validateElements(
  fe: ForEachValidation,
  elements: JsonValue[],
  s: ValidationState,
): Promise<{ verdict: Verdict; applied: number }> {
  let applied = 0;
  s.ctx.checkpoint();
  try {
    for (const [index, element] of elements.entries()) {
      if (element === null) continue;
      s.ctx.restore();
      addElement(s.ctx, element, index, s.nesting, s.foreachValues);
      const scoped = fe.elementScope ?? isJsonObject(element);
      if (scoped && !isJsonObject(element)) {
        const message = `cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got type=${Array.isArray(element) ? 'array' : typeof element}`;
        return { verdict: { status: 'error', message: `failed to process foreach: ${message}` }, applied };
      }
      const r = await elementVerdict(fe, {
        ...s,
        element: scoped && isJsonObject(element) ? element : undefined,
        nesting: s.nesting + 1,
      });
      if (r === undefined || r.status === 'skip') continue;
      if (r.status === 'error' && index < elements.length - 1) continue;
      if (r.status !== 'pass')
        return { verdict: { status: r.status, message: `validation failure: ${r.message}` }, applied };
      applied++;
    }
  } finally {
    s.ctx.dropCheckpoint();
  }
  return { verdict: { status: 'pass', message: '' }, applied };
}

async function elementVerdict(fe: ForEachValidation, s: ValidationState): Promise<Verdict | undefined> {
  try {
    await loadContext(fe.context, s.ctx, s.env, { operation: s.operation });
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${errorText(e)}` };
  }
  try {
    const pre = evaluateConditions(
      fe.preconditions,
      conditionResolver(s.ctx, s.operation, '/validate/foreach/preconditions'),
    );
    if (!pre.pass) return { status: 'skip', message: 'preconditions not met' };
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorText(e)}` };
  }
  return runValidation(fe, s);
}
