// `{{ expr }}` substitution over a JSON document, with Kyverno's rules:
// - a string that is exactly one variable keeps the value's JSON type;
// - otherwise each variable becomes its string form (strings as-is, other values as JSON);
// - nested variables resolve inside out, re-scanning until none is left;
// - `{{- expr }}` substitutes once and never re-scans the result;
// - `\{{ ... }}` is an escape: left alone, the backslash removed at the end;
// - on DELETE, `request.object` inside a variable reads `request.oldObject`.
import type { JsonValue } from '../../api/json.js';
import { goJsonString } from '../jmespath/index.js';
import { JmesPathError } from '../jmespath/types.js';
import type { EvalContext } from './context.js';

// One level of inner braces is allowed, so `{{ a.{{ b }} }}` is found inner first.
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
// Results of `{{- }}` are escaped like user escapes, so the re-scan leaves them alone.
const ESCAPED_OPEN = '\\{{';

export class VariableError extends Error {
  constructor(
    message: string,
    readonly variable: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

export interface SubstituteOptions {
  /** The request operation; DELETE rewrites request.object to request.oldObject. */
  operation?: string;
  /** JSON path prefix of the document, for error messages and `{{@}}` ("/generate"). */
  path?: string;
  /** Where `{{@}}` points: "request.object" (default) or "target" (mutate existing). */
  selfRoot?: string;
}

export function hasVariables(s: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(s);
}

/** Returns a new document with every variable resolved; throws VariableError. Never mutates `doc`. */
export function substituteAll(doc: JsonValue, ctx: EvalContext, options: SubstituteOptions = {}): JsonValue {
  return walk(doc, ctx, options, options.path ?? '');
}

function walk(v: JsonValue, ctx: EvalContext, o: SubstituteOptions, path: string): JsonValue {
  if (typeof v === 'string') return substituteString(v, ctx, o, path);
  if (Array.isArray(v)) return v.map((item, i) => walk(item, ctx, o, `${path}/${i}`));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, item] of Object.entries(v)) {
      const key = k.includes('{{') ? stringify(substituteString(k, ctx, o, path)) : k;
      out[key] = walk(item, ctx, o, `${path}/${key}`);
    }
    return out;
  }
  return v;
}

/** Substitutes the variables of one string. */
export function substituteString(
  value: string,
  ctx: EvalContext,
  o: SubstituteOptions,
  path = '',
): JsonValue {
  if (!value.includes('{{')) return value;
  let current = value;
  let found = findVariables(current);
  while (found.length > 0) {
    // After inner variables resolve, an outer variable may now be the whole string: it keeps its type.
    const whole = current;
    for (const { prefix, text } of found) {
      const result = resolve(text, ctx, o, path);
      if (text === whole && !result.shallow) return result.value;
      let replacement = stringify(result.value);
      if (result.shallow) replacement = replacement.split('{{').join(ESCAPED_OPEN);
      current = current.split(prefix + text).join(prefix + replacement);
      if (text === whole) return unescape(current);
    }
    found = findVariables(current);
  }
  return unescape(current);
}

function findVariables(s: string): { prefix: string; text: string }[] {
  const out: { prefix: string; text: string }[] = [];
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(s); m !== null; m = VARIABLE.exec(s)) {
    out.push({ prefix: m[1] ?? '', text: m[2] ?? '' });
    // The prefix character belongs to the match; let adjacent variables ("{{a}}{{b}}") be found too.
    VARIABLE.lastIndex = m.index + (m[1] ?? '').length + (m[2] ?? '').length;
  }
  return out;
}

function resolve(
  text: string,
  ctx: EvalContext,
  o: SubstituteOptions,
  path: string,
): { value: JsonValue; shallow: boolean } {
  let expr = text.slice(2, -2).trim();
  let shallow = false;
  if (expr.startsWith('-')) {
    shallow = true;
    expr = expr.slice(1).trim();
  }
  if (expr === '@') expr = selfPath(o.selfRoot ?? 'request.object', path);
  if (o.operation === 'DELETE') expr = expr.split('request.object').join('request.oldObject');
  if (expr === '')
    throw new VariableError(
      `failed to resolve ${text} at path ${path || '/'}: invalid query (nil)`,
      text,
      path,
    );
  try {
    return { value: ctx.query(expr), shallow };
  } catch (e) {
    const reason = e instanceof JmesPathError || e instanceof Error ? e.message : String(e);
    throw new VariableError(`failed to resolve ${expr} at path ${path || '/'}: ${reason}`, expr, path);
  }
}

/** `{{@}}` is the value at the current field's position in the resource. */
function selfPath(root: string, path: string): string {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `."${stripAnchor(p)}"`));
  // Skip the rule-level prefix (e.g. /mutate/patchStrategicMerge) that is not part of the resource.
  const start = parts.findIndex((p) => p === '."spec"' || p === '."metadata"' || p === '."data"');
  const tail = start >= 0 ? parts.slice(start).join('') : parts.join('');
  return `${root}${tail}`;
}

function stripAnchor(key: string): string {
  const m = /^[+=X^<]?\((.*)\)$/.exec(key);
  return m?.[1] ?? key;
}

/** Kyverno prints non-string values as Go's json.Marshal does (sorted keys, <>& escaped). */
export function stringify(v: JsonValue): string {
  return typeof v === 'string' ? v : goJsonString(v);
}

function unescape(s: string): JsonValue {
  return s.includes(ESCAPED_OPEN) ? s.split(ESCAPED_OPEN).join('{{') : s;
}
