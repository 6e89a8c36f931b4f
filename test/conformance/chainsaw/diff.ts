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
export function lineDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i]!;
      row[j] = a[i] === b[j] ? (lcs[i + 1]![j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]![j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1]![j] ?? 0) >= (lcs[i]![j + 1] ?? 0))) {
      out.push(`- ${a[i]}`);
      i++;
    } else {
      out.push(`+ ${b[j]}`);
      j++;
    }
  }
  return out;
}
