// Chainsaw expressions: a string "(expr)" is JMESPath (jmespath-community dialect) evaluated
// with bindings such as $namespace. Our engine speaks the original JMESPath without variables, so
// each $name outside quoted text is replaced by a JSON literal of its bound value before parsing.
import type { JsonValue } from '../../../src/api/json.js';
import { JmesPathError, search } from '../../../src/engine/jmespath/index.js';
import type { FunctionSpec } from '../../../src/engine/jmespath/index.js';
import { kyvernoFunctions } from '../../../src/engine/jmespath/kyverno/index.js';
import type { Bindings } from './bindings.js';

/** "(statement)" or "(jp:statement)"; "\(...)\" escapes a literal. Anything else is plain data. */
export function parseExpression(text: string): string | null {
  if (/^\\.+\\$/s.test(text)) return null;
  const m = /^\((?:(\w+):)?(.+)\)$/s.exec(text);
  if (m === null) return null;
  const engine = m[1];
  if (engine !== undefined && engine !== 'jp') throw new Error(`expression engine ${engine} is not supported: ${text}`);
  return m[2] ?? null;
}

/** The literal value of a plain string (an escaped "\x\" loses its backslashes). */
export function unescapeLiteral(text: string): string {
  const m = /^\\(.+)\\$/s.exec(text);
  return m?.[1] ?? text;
}

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(`expression (${expression}): ${message}`);
    this.name = 'ExpressionError';
  }
}

/** Replaces $name references (outside '…', "…" and `…`) by JSON literals of their values. */
export function substituteBindings(statement: string, bindings: Bindings): string {
  let out = '';
  let i = 0;
  while (i < statement.length) {
    const ch = statement[i] ?? '';
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = closingQuote(statement, i);
      out += statement.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(statement.slice(i));
      if (m !== null) {
        const name = m[1] ?? '';
        if (!bindings.has(name)) throw new ExpressionError(statement, `variable not defined: $${name}`);
        out += jsonLiteral(bindings.get(name) ?? null);
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length - 1;
}

function jsonLiteral(value: JsonValue): string {
  return '`' + JSON.stringify(value).replace(/`/g, '\\`') + '`';
}

/** Chainsaw adds a few functions of its own to kyverno-json's; these are the ones tests use. */
const chainsawFunctions: FunctionSpec[] = [
  {
    name: 'trim_space',
    args: [{ types: ['string'] }],
    call: ([s]) => (typeof s === 'string' ? s.trim() : null),
  },
];

const functions: ReadonlyMap<string, FunctionSpec> = new Map([
  ...kyvernoFunctions,
  ...chainsawFunctions.map((f): [string, FunctionSpec] => [f.name, f]),
]);

const functionContext = { now: () => Date.now(), random: () => Math.random() };

/** Evaluates a statement against data; a missing key is null, as in jmespath-community. */
export function evaluate(statement: string, data: JsonValue, bindings: Bindings): JsonValue {
  const substituted = substituteBindings(statement, bindings);
  try {
    return search(substituted, data, { functions, ctx: functionContext });
  } catch (e) {
    if (e instanceof JmesPathError && e.kind === 'not-found') return null;
    throw new ExpressionError(statement, e instanceof Error ? e.message : String(e));
  }
}
