// String functions, with Go's strings package semantics (byte-order compare, rune-wise case
// mapping, Split on "" by code point, Replace with a count).
import type { JsonObject, JsonValue } from '../../../api/json.js';
import { wildcardMatch } from '../../wildcard.js';
import type { FunctionSpec } from '../types.js';
import { compareCodePoints } from '../values.js';
import {
  arg,
  functionError,
  ifaceToString,
  num,
  numberAt,
  spec,
  str,
  stringAt,
  strOrNum,
} from './helpers.js';

/** No code unit above 0x7f (a loop: for the short strings functions get, cheaper than a regex). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** unicode.ToUpper/ToLower per rune: mappings that would change the length (ß -> SS) are skipped. */
function mapRunes(s: string, map: (c: string) => string): string {
  // ASCII maps letter by letter to ASCII: the whole-string mapping is the same, without the loop.
  if (isAscii(s)) return map(s);
  let out = '';
  for (const c of s) {
    const mapped = map(c);
    out += [...mapped].length === 1 ? mapped : c;
  }
  return out;
}

function toUpperRune(c: string): string {
  return c.toUpperCase();
}

function toLowerRune(c: string): string {
  return c.toLowerCase();
}

// Policies map the same few strings over and over (foreach elements, label values), and each call
// built a new string through a per-call closure: results are memoised by input text (measurably
// faster in bench/engine). A pure function of the string, so nothing request-specific is kept.
const memoLimit = 1024;
const upperMemo = new Map<string, string>();
const lowerMemo = new Map<string, string>();

function memoised(memo: Map<string, string>, s: string, map: (c: string) => string): string {
  let out = memo.get(s);
  if (out === undefined) {
    out = mapRunes(s, map);
    // Long strings are rare in case mapping and would make the memo's memory unbounded in size.
    if (s.length <= 256) {
      if (memo.size >= memoLimit) memo.clear();
      memo.set(s, out);
    }
  }
  return out;
}

function upperCased(s: string): string {
  return memoised(upperMemo, s, toUpperRune);
}

function lowerCased(s: string): string {
  return memoised(lowerMemo, s, toLowerRune);
}

/**
 * strings.Split for a non-empty separator (what String#split does too). An indexOf loop: the built-in
 * split is several times slower on strings it has not seen before (its cache only helps repeats), and
 * every request brings its own strings.
 */
export function splitOn(s: string, sep: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = s.indexOf(sep, from);
    if (at < 0) break;
    out.push(s.slice(from, at));
    from = at + sep.length;
  }
  out.push(s.slice(from));
  return out;
}

/** strings.Replace: n < 0 replaces all; an empty `old` matches before every rune and at the end. */
export function goReplace(s: string, old: string, replacement: string, n: number): string {
  if (n === 0 || old === replacement) return s;
  if (old === '') {
    const runes = [...s];
    const limit = n < 0 ? runes.length + 1 : Math.min(n, runes.length + 1);
    let out = '';
    for (let i = 0; i < runes.length; i++) out += (i < limit ? replacement : '') + runes[i];
    return out + (runes.length < limit ? replacement : '');
  }
  const parts = s.split(old);
  if (n < 0 || n >= parts.length - 1) return parts.join(replacement);
  return parts.slice(0, n + 1).join(replacement) + old + parts.slice(n + 1).join(old);
}

function goTrim(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const runes = [...s];
  let start = 0;
  let end = runes.length;
  while (start < end && cut.has(runes[start] as string)) start++;
  while (end > start && cut.has(runes[end - 1] as string)) end--;
  return runes.slice(start, end).join('');
}

/** path.Clean / filepath.Join on one element (Unix): "" stays "" because Join drops empty input. */
export function cleanPath(p: string): string {
  if (p === '') return '';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

export const stringFunctions: FunctionSpec[] = [
  spec('compare', [str, str], (a) => compareCodePoints(stringAt(a, 0), stringAt(a, 1))),
  spec('equal_fold', [str, str], (a) => {
    const x = stringAt(a, 0);
    const y = stringAt(a, 1);
    return x.toLowerCase() === y.toLowerCase() || x.toUpperCase() === y.toUpperCase();
  }),
  spec('replace', [str, str, str, num], (a) =>
    goReplace(stringAt(a, 0), stringAt(a, 1), stringAt(a, 2), Math.trunc(numberAt(a, 3))),
  ),
  spec('replace_all', [str, str, str], (a) => goReplace(stringAt(a, 0), stringAt(a, 1), stringAt(a, 2), -1)),
  spec('to_upper', [str], (a) => upperCased(stringAt(a, 0))),
  spec('to_lower', [str], (a) => lowerCased(stringAt(a, 0))),
  spec('trim', [str, str], (a) => goTrim(stringAt(a, 0), stringAt(a, 1))),
  spec('trim_prefix', [str, str], (a) => {
    const s = stringAt(a, 0);
    const prefix = stringAt(a, 1);
    return s.startsWith(prefix) ? s.slice(prefix.length) : s;
  }),
  spec('split', [str, str], (a) => {
    const s = stringAt(a, 0);
    const sep = stringAt(a, 1);
    return sep === '' ? [...s] : splitOn(s, sep);
  }),
  spec('truncate', [str, num], (a) => {
    const runes = [...stringAt(a, 0)];
    const length = Math.max(0, Math.trunc(numberAt(a, 1)));
    return runes.length <= length ? runes.join('') : runes.slice(0, length).join('');
  }),
  spec('path_canonicalize', [str], (a) => cleanPath(stringAt(a, 0))),
  spec('to_boolean', [str], (a) => {
    const input = stringAt(a, 0);
    const lower = input.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw functionError('to_boolean', `lowercase argument must be 'true' or 'false' (provided: '${input}')`);
  }),
  spec('pattern_match', [str, strOrNum], (a) => {
    const src = ifaceToString(a[1] ?? null);
    if (src === undefined)
      throw functionError('regex_match', '2 argument is expected of String or Real type');
    return wildcardMatch(stringAt(a, 0), src);
  }),
  spec('label_match', [arg('object'), arg('object')], (a) => {
    const selector = a[0] as JsonObject;
    const labels = a[1] as JsonObject;
    return Object.keys(selector).every(
      (k) => Object.hasOwn(labels, k) && sameScalar(labels[k] as JsonValue, selector[k] as JsonValue),
    );
  }),
];

/** Go's interface == on decoded JSON: equal scalars only (maps/slices are not comparable). */
function sameScalar(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === 'object' && a !== null) return false;
  return a === b;
}
