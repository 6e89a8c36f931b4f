// Kyverno's wildcard dialect: `*` is any run of characters (also empty), `?` exactly one.
// Everything else is literal, so patterns are compiled to anchored regexes once and cached.
const cache = new Map<string, RegExp>();

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    let src = '^';
    for (const ch of pattern) {
      if (ch === '*') src += '[\\s\\S]*';
      else if (ch === '?') src += '[\\s\\S]';
      else src += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(src + '$', 'u');
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** True when `value` matches `pattern` as a whole. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return pattern === value;
  return compile(pattern).test(value);
}
