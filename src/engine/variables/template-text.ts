// The text side of `{{ }}` templates: finding variables in a string, printing values into it, and
// the escape the rewrite loop uses. No evaluation here.
import type { JsonValue } from '../../api/json.js';
import { goJsonString } from '../jmespath/index.js';

// One level of inner braces is allowed, so `{{ a.{{ b }} }}` is found inner first.
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
// Results of `{{- }}` are escaped like user escapes, so the re-scan leaves them alone.
export const ESCAPED_OPEN = '\\{{';

/** How many parsed strings (templates, scans, variables) each memo keeps before starting over. */
export const TEMPLATE_CACHE_LIMIT = 8192;

/** One `{{ }}` occurrence in a string. */
export interface Found {
  prefix: string;
  text: string;
  /** Where `text` starts. */
  at: number;
}

/** Whether `s` holds a `{{ }}` variable (an escaped `\{{` is not one). */
export function hasVariables(s: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(s);
}

/** Every variable of `s`, left to right (inner ones of a nested variable first). */
export function findVariables(s: string): Found[] {
  const out: Found[] = [];
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(s); m !== null; m = VARIABLE.exec(s)) {
    const prefix = m[1] ?? '';
    const text = m[2] ?? '';
    out.push({ prefix, text, at: m.index + prefix.length });
    // The prefix character belongs to the match; let adjacent variables ("{{a}}{{b}}") be found too.
    VARIABLE.lastIndex = m.index + prefix.length + text.length;
  }
  return out;
}

/** Kyverno prints non-string values as Go's json.Marshal does (sorted keys, <>& escaped). */
export function stringify(v: JsonValue): string {
  return typeof v === 'string' ? v : goJsonString(v);
}

/** The text a rewrite produced, with the escaped `{{` of `{{- }}` results and user escapes restored. */
export function unescape(s: string): JsonValue {
  return s.includes(ESCAPED_OPEN) ? replaceEvery(s, ESCAPED_OPEN, '{{') : s;
}

/**
 * `s.split(find).join(replacement)` (Go's strings.ReplaceAll) for a non-empty `find`, as an indexOf
 * loop: the built-in split is slow on the fresh strings this loop produces.
 */
export function replaceEvery(s: string, find: string, replacement: string): string {
  let at = s.indexOf(find);
  if (at < 0) return s;
  let out = '';
  let from = 0;
  while (at >= 0) {
    out += s.slice(from, at) + replacement;
    from = at + find.length;
    at = s.indexOf(find, from);
  }
  return out + s.slice(from);
}
