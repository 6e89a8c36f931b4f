import { lineDiff as cliLineDiff } from '../../../src/cli/test/compare.js';
// Human-readable diffs for failed assertions: the expected tree next to the actual object cut down
// to the same shape, as a line diff of their YAML.
import { stringify } from 'yaml';
import type { JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import type { Bindings } from './bindings.js';
import { evaluate, parseExpression, unescapeLiteral } from './expression.js';

/** The parts of `actual` the assertion looks at, keyed like the assertion (expression keys keep their text). */
export function projectLike(expected: JsonValue, actual: JsonValue | undefined, bindings: Bindings): JsonValue | undefined {
  if (actual === undefined) return undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return actual;
    return actual.map((item, i) => (i < expected.length ? projectLike(expected[i] ?? null, item, bindings) : item) ?? null);
  }
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual) && actual !== null) return actual;
    const out: Record<string, JsonValue> = {};
    for (const [key, sub] of Object.entries(expected)) {
      const statement = parseExpression(key);
      let value: JsonValue | undefined;
      if (statement !== null) {
        try {
          value = evaluate(statement, actual, bindings);
        } catch {
          value = undefined;
        }
      } else if (isJsonObject(actual)) {
        value = actual[unescapeLiteral(key)];
      }
      const projected = projectLike(sub, value, bindings);
      if (projected !== undefined) out[key] = projected;
    }
    return out;
  }
  return actual;
}

/** Expected vs actual as "-"/"+" lines (expected lines marked "-", actual lines "+"). */
export function renderDiff(expected: JsonValue, actual: JsonValue | undefined, bindings: Bindings): string {
  const left = toLines(expected);
  const right = toLines(projectLike(expected, actual, bindings) ?? null);
  return lineDiff(left, right).join('\n');
}

function toLines(v: JsonValue): string[] {
  return stringify(v, { lineWidth: 0 }).replace(/\n$/, '').split('\n');
}

/** A plain LCS line diff; assertion documents are small. */
/** Line diff of two texts as lines: '-' expected only, '+' actual only (the CLI's diff, reused). */
export function lineDiff(a: string[], b: string[]): string[] {
  return cliLineDiff(a.join('\n'), b.join('\n'), { keepBlank: true }).split('\n');
}
