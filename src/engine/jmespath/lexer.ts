// Tokenizer for the original JMESPath grammar, following go-jmespath's lexer (which Kyverno's
// fork keeps): same token kinds, same escape handling, positions as string offsets.
import type { JsonValue } from '../../api/json.js';
import { JmesPathError } from './types.js';

export type TokenType =
  | 'star'
  | 'dot'
  | 'filter'
  | 'flatten'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'or'
  | 'pipe'
  | 'number'
  | 'unquotedIdentifier'
  | 'quotedIdentifier'
  | 'comma'
  | 'colon'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'eq'
  | 'ne'
  | 'jsonLiteral'
  | 'stringLiteral'
  | 'current'
  | 'expref'
  | 'and'
  | 'not'
  | 'eof';

export interface Token {
  type: TokenType;
  /** Identifier name, raw string text or number text. */
  text: string;
  /** Decoded value of a JSON literal. */
  literal?: JsonValue;
  position: number;
}

const singleCharTokens: Record<string, TokenType> = {
  '.': 'dot',
  '*': 'star',
  ',': 'comma',
  ':': 'colon',
  '{': 'lbrace',
  '}': 'rbrace',
  ']': 'rbracket',
  '(': 'lparen',
  ')': 'rparen',
  '@': 'current',
};

export function syntaxError(expression: string, position: number, message: string): JmesPathError {
  return new JmesPathError(
    'syntax',
    `SyntaxError: ${message} (at position ${position} in ${JSON.stringify(expression)})`,
  );
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const length = expression.length;
  let pos = 0;

  /** Index just past the closing delimiter; backslash escapes the next character. */
  const findClosing = (start: number, end: string): number => {
    let i = start;
    while (i < length) {
      const ch = expression[i];
      if (ch === '\\' && i + 1 < length) {
        i += 2;
        continue;
      }
      if (ch === end) return i;
      i++;
    }
    throw syntaxError(expression, length, `Unclosed delimiter: ${end}`);
  };

  /** Two-character operator if the next char matches, else the single-character one. */
  const pair = (second: string, double: TokenType, single: TokenType | undefined): void => {
    const start = pos;
    if (expression[pos + 1] === second) {
      tokens.push({ type: double, text: expression.slice(pos, pos + 2), position: start });
      pos += 2;
      return;
    }
    if (single === undefined)
      throw syntaxError(expression, start, `Unknown char: '${expression[pos] ?? ''}'`);
    tokens.push({ type: single, text: expression[pos] ?? '', position: start });
    pos += 1;
  };

  while (pos < length) {
    const ch = expression[pos] ?? '';
    const code = expression.charCodeAt(pos);
    const single = singleCharTokens[ch];
    if (isIdentStart(code)) {
      const start = pos;
      pos++;
      while (pos < length && isIdentPart(expression.charCodeAt(pos))) pos++;
      tokens.push({ type: 'unquotedIdentifier', text: expression.slice(start, pos), position: start });
    } else if (single !== undefined) {
      tokens.push({ type: single, text: ch, position: pos });
      pos++;
    } else if (ch === '-' || isDigit(code)) {
      const start = pos;
      pos++;
      while (pos < length && isDigit(expression.charCodeAt(pos))) pos++;
      tokens.push({ type: 'number', text: expression.slice(start, pos), position: start });
    } else if (ch === '[') {
      const next = expression[pos + 1];
      if (next === '?') {
        tokens.push({ type: 'filter', text: '[?', position: pos });
        pos += 2;
      } else if (next === ']') {
        tokens.push({ type: 'flatten', text: '[]', position: pos });
        pos += 2;
      } else {
        tokens.push({ type: 'lbracket', text: '[', position: pos });
        pos++;
      }
    } else if (ch === '"') {
      const start = pos;
      const end = findClosing(pos + 1, '"');
      const raw = expression.slice(pos + 1, end);
      let name: unknown;
      try {
        name = JSON.parse(`"${raw}"`);
      } catch {
        throw syntaxError(expression, start, `Invalid quoted identifier: "${raw}"`);
      }
      tokens.push({ type: 'quotedIdentifier', text: String(name), position: start });
      pos = end + 1;
    } else if (ch === "'") {
      const start = pos;
      const end = findClosing(pos + 1, "'");
      // Only \' is an escape in a raw string; every other backslash stays as written.
      const text = expression.slice(pos + 1, end).replaceAll("\\'", "'");
      tokens.push({ type: 'stringLiteral', text, position: start });
      pos = end + 1;
    } else if (ch === '`') {
      const start = pos;
      const end = findClosing(pos + 1, '`');
      const raw = expression.slice(pos + 1, end).replaceAll('\\`', '`');
      tokens.push({ type: 'jsonLiteral', text: raw, literal: decodeLiteral(raw), position: start });
      pos = end + 1;
    } else if (ch === '|') {
      pair('|', 'or', 'pipe');
    } else if (ch === '<') {
      pair('=', 'lte', 'lt');
    } else if (ch === '>') {
      pair('=', 'gte', 'gt');
    } else if (ch === '!') {
      pair('=', 'ne', 'not');
    } else if (ch === '=') {
      pair('=', 'eq', undefined);
    } else if (ch === '&') {
      pair('&', 'and', 'expref');
    } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      pos++;
    } else {
      throw syntaxError(expression, pos, `Unknown char: ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ type: 'eof', text: '', position: length });
  return tokens;
}

/**
 * A backtick literal is JSON. The legacy form, still common in older policies, puts bare text
 * between backticks (`foo`): when the text is not JSON it is read as the body of a JSON string,
 * and failing that, taken verbatim.
 */
function decodeLiteral(raw: string): JsonValue {
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    try {
      return JSON.parse(`"${raw.trimStart()}"`) as string;
    } catch {
      return raw;
    }
  }
}
