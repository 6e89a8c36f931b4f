// Kyverno's wildcard dialect: `*` is any run of characters (also empty), `?` exactly one.
// Everything else is literal. Each pattern is compiled once into a matcher function: the common
// shapes (`prefix*`, `*suffix`, `a*b*c`) become string comparisons, which are several times cheaper
// than a regex with the `u` flag; only patterns with `?` (one code point) need a regex.

/** Decides whether a whole value matches one pattern. */
export type WildcardMatcher = (value: string) => boolean;

const cache = new Map<string, WildcardMatcher>();

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function regexMatcher(pattern: string): WildcardMatcher {
  let src = '^';
  for (const ch of pattern) {
    if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(src + '$', 'u');
  return (value) => re.test(value);
}

// A literal part that holds no surrogate can only be found at code point boundaries of the value, so
// plain string search agrees with the code-point regex; patterns with surrogates keep the regex.
const surrogate = /[\uD800-\uDFFF]/;

/** `*`-only patterns: the first part is a prefix, the last a suffix, the middle ones found in order. */
function starMatcher(pattern: string): WildcardMatcher {
  const parts = pattern.split('*');
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1).filter((p) => p !== '');
  const fixed = first.length + last.length;
  if (middle.length === 0) {
    if (first === '' && last === '') return () => true;
    if (last === '') return (value) => value.startsWith(first);
    if (first === '') return (value) => value.endsWith(last);
    return (value) => value.length >= fixed && value.startsWith(first) && value.endsWith(last);
  }
  return (value) => {
    if (value.length < fixed || !value.startsWith(first) || !value.endsWith(last)) return false;
    // Leftmost occurrences leave the most room for the parts after them (the usual greedy glob).
    let at = first.length;
    const end = value.length - last.length;
    for (const part of middle) {
      const found = value.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}

/** The matcher of `pattern`, compiled once (cached by pattern text). */
export function wildcardMatcher(pattern: string): WildcardMatcher {
  let m = cache.get(pattern);
  if (m === undefined) {
    if (!hasWildcard(pattern)) m = (value) => value === pattern;
    else if (pattern.includes('?') || surrogate.test(pattern)) m = regexMatcher(pattern);
    else m = starMatcher(pattern);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, m);
  }
  return m;
}

/** True when `value` matches `pattern` as a whole. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const m = cache.get(pattern);
  return m !== undefined ? m(value) : wildcardMatcher(pattern)(value);
}
