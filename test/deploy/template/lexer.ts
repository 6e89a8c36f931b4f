// Splits a Go template into text and actions, applying the `{{-` / `-}}` trim markers, and tokenizes
// the inside of each action. Only the syntax the chart uses is accepted; anything else is an error
// so the chart cannot drift into template features this renderer would silently get wrong.

export type Piece = { kind: 'text'; text: string } | { kind: 'action'; tokens: Token[]; line: number };

export type Token =
  | { t: 'field'; path: string[] } // `.` (empty path) or `.A.B`
  | { t: 'var'; name: string; path: string[] } // `$`, `$x`, `$x.A`
  | { t: 'ident'; name: string }
  | { t: 'string'; value: string }
  | { t: 'int'; value: bigint }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'nil' }
  | { t: 'punct'; value: '|' | '(' | ')' | ':=' | '=' | ',' };

export class TemplateSyntaxError extends Error {}

const SPACE = /\s/;

/** Splits source into pieces; comments vanish, trim markers eat the neighbouring whitespace. */
export function splitActions(source: string, name: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos <= source.length) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open === -1 ? source.length : open);
    if (trimNextText) text = text.replace(/^\s+/, '');
    trimNextText = false;
    if (open === -1) {
      if (text !== '') pieces.push({ kind: 'text', text });
      break;
    }
    const trimLeft = /^\{\{-\s/.test(source.slice(open, open + 4));
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text !== '') pieces.push({ kind: 'text', text });
    const close = findClose(source, open + 2, name);
    const trimRight = /\s-$/.test(source.slice(open, close));
    const inner = source.slice(open + (trimLeft ? 3 : 2), trimRight ? close - 1 : close).trim();
    const line = source.slice(0, open).split('\n').length;
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) {
      pieces.push({ kind: 'action', tokens: tokenize(inner, `${name}:${line}`), line });
    }
    trimNextText = trimRight;
    pos = close + 2;
  }
  return pieces;
}

/** The `}}` that ends the action starting at `from`, skipping quoted strings and comments. */
function findClose(source: string, from: number, name: string): number {
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) break;
      i = end + 2;
      continue;
    }
    if (c === '"' || c === '`') {
      i = skipString(source, i);
      continue;
    }
    if (source.startsWith('}}', i)) return i;
    i++;
  }
  throw new TemplateSyntaxError(`${name}: unclosed action`);
}

function skipString(s: string, start: number): number {
  const quote = s[start];
  let i = start + 1;
  while (i < s.length && s[i] !== quote) i += s[i] === '\\' && quote === '"' ? 2 : 1;
  return i + 1;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const PATH = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/;

export function tokenize(src: string, where: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const rest = src.slice(i);
    if (SPACE.test(c)) {
      i++;
    } else if (rest.startsWith(':=')) {
      tokens.push({ t: 'punct', value: ':=' });
      i += 2;
    } else if (c === '|' || c === '(' || c === ')' || c === '=' || c === ',') {
      tokens.push({ t: 'punct', value: c });
      i++;
    } else if (c === '"') {
      const end = skipString(src, i);
      tokens.push({ t: 'string', value: JSON.parse(src.slice(i, end)) as string });
      i = end;
    } else if (c === '`') {
      const end = skipString(src, i);
      tokens.push({ t: 'string', value: src.slice(i + 1, end - 1) });
      i = end;
    } else if (c === '.') {
      const m = PATH.exec(rest);
      const text = m?.[0] ?? '.';
      tokens.push({ t: 'field', path: text === '.' ? [] : text.slice(1).split('.') });
      i += text.length;
    } else if (c === '$') {
      const name = IDENT.exec(src.slice(i + 1))?.[0] ?? '';
      const after = src.slice(i + 1 + name.length);
      const path = PATH.exec(after)?.[0] ?? '';
      tokens.push({ t: 'var', name: `$${name}`, path: path === '' ? [] : path.slice(1).split('.') });
      i += 1 + name.length + path.length;
    } else if (NUMBER.test(rest)) {
      const m = NUMBER.exec(rest)?.[0] ?? '';
      tokens.push(/[.eE]/.test(m) ? { t: 'float', value: Number(m) } : { t: 'int', value: BigInt(m) });
      i += m.length;
    } else if (IDENT.test(rest)) {
      const name = IDENT.exec(rest)?.[0] ?? '';
      if (name === 'true' || name === 'false') tokens.push({ t: 'bool', value: name === 'true' });
      else if (name === 'nil') tokens.push({ t: 'nil' });
      else tokens.push({ t: 'ident', name });
      i += name.length;
    } else {
      throw new TemplateSyntaxError(`${where}: unexpected character ${JSON.stringify(c)} in action`);
    }
  }
  return tokens;
}
