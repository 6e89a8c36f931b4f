// The body of a validate rule (or of one foreach entry): deny, pattern / anyPattern, nested foreach.
// Shared by the rule and its foreach elements, as Kyverno's validator is.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { AnyAllConditions, ContextEntry, Preconditions } from '../../api/policy.js';
import { evaluateConditions } from '../conditions/index.js';
import { loadContext } from '../context/load.js';
import type { EvalEnv } from '../env.js';
import type { RuleStatus } from '../result.js';
import { addElement, conditionResolver, errorText, evaluateList } from '../rule-context.js';
import type { EvalContext } from '../variables/context.js';
import { substituteAll } from '../variables/substitute.js';
import { matchPattern } from './pattern.js';

export interface Verdict {
  status: RuleStatus;
  message: string;
}

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

function ruleMessage(s: ValidationState): { text: string; ok: boolean } {
  if (s.ruleMessage === undefined || s.ruleMessage === '') return { text: '', ok: true };
  try {
    const v = substituteAll(s.ruleMessage, s.ctx, { operation: s.operation, path: '/validate/message' });
    return typeof v === 'string' ? { text: v, ok: true } : { text: s.ruleMessage, ok: false };
  } catch {
    return { text: s.ruleMessage, ok: false };
  }
}

function deny(conditions: Preconditions | AnyAllConditions | undefined, s: ValidationState): Verdict {
  let denied: boolean;
  try {
    denied = evaluateConditions(conditions, conditionResolver(s.ctx, s.operation, '/validate/deny')).pass;
  } catch (e) {
    return { status: 'error', message: `failed to check deny conditions: ${errorText(e)}` };
  }
  if (!denied) return { status: 'pass', message: `validation rule '${s.ruleName}' passed.` };
  const m = ruleMessage(s);
  return { status: 'fail', message: m.text === '' ? `validation error: rule ${s.ruleName} failed` : m.text };
}

function failureMessage(s: ValidationState, error: string, path: string): string {
  const m = ruleMessage(s);
  if (s.ruleMessage === undefined || s.ruleMessage === '') {
    return path !== ''
      ? `validation error: rule ${s.ruleName} failed at path ${path}`
      : `validation error: rule ${s.ruleName} execution error: ${error}`;
  }
  if (!m.ok)
    return `validation error: variables substitution error in rule ${s.ruleName} execution error: ${error}`;
  const text = m.text.endsWith('.') ? m.text : `${m.text}.`;
  return path !== ''
    ? `validation error: ${text} rule ${s.ruleName} failed at path ${path}`
    : `validation error: ${text} rule ${s.ruleName} execution error: ${error}`;
}

function validatePatterns(
  target: JsonObject,
  pattern: JsonValue | undefined,
  anyPattern: JsonValue | undefined,
  s: ValidationState,
): Verdict {
  if (pattern !== undefined) {
    const miss = matchPattern(target, pattern);
    if (miss === undefined) return { status: 'pass', message: `validation rule '${s.ruleName}' passed.` };
    if (miss.skip) return { status: 'skip', message: miss.message };
    return {
      status: miss.path === '' ? 'error' : 'fail',
      message: failureMessage(s, miss.message, miss.path),
    };
  }
  if (!Array.isArray(anyPattern)) {
    return { status: 'error', message: 'failed to deserialize anyPattern, expected type array' };
  }
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const [i, p] of anyPattern.entries()) {
    const miss = matchPattern(target, p);
    if (miss === undefined)
      return { status: 'pass', message: `validation rule '${s.ruleName}' anyPattern[${i}] passed.` };
    if (miss.skip) skipped.push(`rule ${s.ruleName}[${i}] skipped: ${miss.message}`);
    else if (miss.path === '') failed.push(`rule ${s.ruleName}[${i}] failed: ${miss.message}`);
    else failed.push(`rule ${s.ruleName}[${i}] failed at path ${miss.path}`);
  }
  if (failed.length === 0 && skipped.length > 0) return { status: 'skip', message: skipped.join(' ') };
  const msg = s.ruleMessage ?? '';
  const joined = failed.join(' ');
  const text =
    msg === ''
      ? `validation error: ${joined}`
      : msg.endsWith('.')
        ? `validation error: ${msg} ${joined}`
        : `validation error: ${msg}. ${joined}`;
  return { status: 'fail', message: text };
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
