// The verdicts and messages of deny and pattern checks, shared by the compiled validate path and the
// general one (rules whose context reads the cluster), so both word results exactly alike.
import type { JsonObject } from '../../api/json.js';
import type { RuleStatus } from '../result.js';
import { errorText } from '../rule-context.js';
import type { EvalContext } from '../variables/context.js';
import { substituteAll } from '../variables/substitute.js';
import type { PatternNode } from './compiled-pattern.js';
import { matchCompiledPattern } from './pattern.js';

export interface Verdict {
  status: RuleStatus;
  message: string;
}

/** What a failure message needs: the rule, its `validate.message` and the context it is rendered in. */
export interface MessageScope {
  readonly ruleName: string;
  readonly ruleMessage?: string;
  readonly operation: string;
  /** The context at the point of failure (a foreach element's, inside foreach). */
  context(): EvalContext;
}

/** The patterns a rule or foreach entry checks, after substitution and compilation. */
export type CheckedPatterns =
  | { readonly kind: 'pattern'; readonly node: PatternNode }
  | { readonly kind: 'anyPattern'; readonly nodes: readonly PatternNode[] }
  /** anyPattern that is not a list. */
  | { readonly kind: 'invalid' };

export function passed(ruleName: string): Verdict {
  return { status: 'pass', message: `validation rule '${ruleName}' passed.` };
}

function ruleMessage(s: MessageScope): { text: string; ok: boolean } {
  if (s.ruleMessage === undefined || s.ruleMessage === '') return { text: '', ok: true };
  try {
    const v = substituteAll(s.ruleMessage, s.context(), {
      operation: s.operation,
      path: '/validate/message',
    });
    return typeof v === 'string' ? { text: v, ok: true } : { text: s.ruleMessage, ok: false };
  } catch {
    return { text: s.ruleMessage, ok: false };
  }
}

/** The verdict of deny conditions that evaluated to `denied`. */
export function denyVerdict(denied: boolean, s: MessageScope): Verdict {
  if (!denied) return passed(s.ruleName);
  const m = ruleMessage(s);
  return { status: 'fail', message: m.text === '' ? `validation error: rule ${s.ruleName} failed` : m.text };
}

function failureMessage(s: MessageScope, error: string, path: string): string {
  if (s.ruleMessage === undefined || s.ruleMessage === '') {
    return path !== ''
      ? `validation error: rule ${s.ruleName} failed at path ${path}`
      : `validation error: rule ${s.ruleName} execution error: ${error}`;
  }
  const m = ruleMessage(s);
  if (!m.ok)
    return `validation error: variables substitution error in rule ${s.ruleName} execution error: ${error}`;
  const text = m.text.endsWith('.') ? m.text : `${m.text}.`;
  return path !== ''
    ? `validation error: ${text} rule ${s.ruleName} failed at path ${path}`
    : `validation error: ${text} rule ${s.ruleName} execution error: ${error}`;
}

export function patternVerdict(target: JsonObject, patterns: CheckedPatterns, s: MessageScope): Verdict {
  if (patterns.kind === 'pattern') {
    const miss = matchCompiledPattern(target, patterns.node);
    if (miss === undefined) return passed(s.ruleName);
    if (miss.skip) return { status: 'skip', message: miss.message };
    return {
      status: miss.path === '' ? 'error' : 'fail',
      message: failureMessage(s, miss.message, miss.path),
    };
  }
  if (patterns.kind === 'invalid') {
    return { status: 'error', message: 'failed to deserialize anyPattern, expected type array' };
  }
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const [i, p] of patterns.nodes.entries()) {
    const miss = matchCompiledPattern(target, p);
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

/**
 * The rule's preconditions as a verdict: skip when they do not hold, error when they cannot be
 * evaluated, undefined when the rule goes on.
 */
export function preconditionVerdict(check: () => { pass: boolean; message: string }): Verdict | undefined {
  try {
    const pre = check();
    if (pre.pass) return undefined;
    return { status: 'skip', message: ['preconditions not met', pre.message].filter((m) => m !== '').join('; ') };
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorText(e)}` };
  }
}
