// Go (RE2) regular expressions on top of JavaScript's engine: the syntax differences policies
// actually use are translated ((?P<name>), leading (?i)/(?s)/(?m) flags, \A, \z, POSIX classes),
// and ReplaceAll follows Go's rules for $-templates and for empty matches next to a match.

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export class GoRegexpError extends Error {
  constructor(message: string) {
    super(`error parsing regexp: ${message}`);
    this.name = 'GoRegexpError';
  }
}

/** Compiles a Go regular expression; throws GoRegexpError with Go's message prefix. */
export function compileGoRegexp(pattern: string, global = false): RegExp {
  let source = pattern;
  let flags = global ? 'g' : '';
  const leading = /^\(\?([ims]+)\)/.exec(source);
  if (leading !== null) {
    for (const f of leading[1] ?? '') if (!flags.includes(f)) flags += f;
    source = source.slice(leading[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negated: string, name: string) => {
      const cls = posixClasses[name];
      if (cls === undefined) return whole;
      return negated === '' ? cls : `^${cls}`;
    })
    .replace(
      /(^|[^\\])((?:\\\\)*)\\A/g,
      (_w, pre: string, slashes: string) => `${pre}${slashes}(?<![\\s\\S])`,
    )
    .replace(
      /(^|[^\\])((?:\\\\)*)\\z/g,
      (_w, pre: string, slashes: string) => `${pre}${slashes}(?![\\s\\S])`,
    );
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new GoRegexpError(e instanceof Error ? e.message : String(e));
  }
}

/** Go's regexp.Expand: $1, ${1}, $name, ${name}, $$; a malformed reference is literal text. */
function expand(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let next = i + 1;
    if (template[next] === '{') {
      const close = template.indexOf('}', next);
      const inner = close < 0 ? '' : template.slice(next + 1, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        next = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(next));
      if (m !== null) {
        name = m[0];
        next += m[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      i++;
      continue;
    }
    out += groupText(match, name);
    i = next;
  }
  return out;
}

function groupText(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) {
    const index = Number(name);
    return index < match.length ? (match[index] ?? '') : '';
  }
  return match.groups?.[name] ?? '';
}

/** Regexp.ReplaceAll (expand = true) or ReplaceAllLiteral (expand = false). */
export function goReplaceAll(re: RegExp, src: string, replacement: string, expandTemplate: boolean): string {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let out = '';
  let copied = 0;
  let lastMatchEnd = -1;
  let m: RegExpExecArray | null;
  while ((m = global.exec(src)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    // Go ignores an empty match that touches the end of the previous match.
    if (!(m[0] === '' && start === lastMatchEnd)) {
      out += src.slice(copied, start) + (expandTemplate ? expand(replacement, m) : replacement);
      copied = end;
      lastMatchEnd = end;
    }
    if (m[0] === '') global.lastIndex = start + Math.max(1, (src.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
  }
  return out + src.slice(copied);
}
