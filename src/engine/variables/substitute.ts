// `{{ expr }}` substitution over a JSON document, with Kyverno's rules:
// - a string that is exactly one variable keeps the value's JSON type;
// - otherwise each variable becomes its string form (strings as-is, other values as JSON);
// - nested variables resolve inside out, re-scanning until none is left;
// - `{{- expr }}` substitutes once and never re-scans the result;
// - `\{{ ... }}` is an escape: left alone, the backslash removed at the end;
// - on DELETE, `request.object` inside a variable reads `request.oldObject`.
import type { JsonValue } from '../../api/json.js';
import type { EvalContext } from './context.js';
import type { SubstituteOptions } from './string-template.js';
import { stringify, substituteString } from './string-template.js';

export type { SubstituteOptions } from './string-template.js';
export { hasVariables, stringify, substituteString, VariableError } from './string-template.js';

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
