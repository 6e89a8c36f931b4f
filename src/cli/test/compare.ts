// How `kyverno test` compares an actual resource with the expected one: labels normalised
// (generate.kyverno.io/* dropped, managed-by forced for generated objects), nulls and empty
// maps/lists pruned, then exact equality. Extra fields on either side are a difference.
import { stringify as toYaml } from 'yaml';
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';

export function tidy(v: JsonValue): JsonValue | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) {
    const items = v.map(tidy).filter((x): x is JsonValue => x !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (isJsonObject(v)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, item] of Object.entries(v)) {
      const t = tidy(item);
      if (t !== undefined) out[k] = t;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

export function normaliseGeneratedLabels(v: JsonValue): JsonValue {
  if (!isJsonObject(v)) return v;
  const meta = isJsonObject(v['metadata']) ? { ...v['metadata'] } : {};
  const labels = isJsonObject(meta['labels']) ? meta['labels'] : {};
  const kept: Record<string, JsonValue> = {};
  for (const [k, val] of Object.entries(labels)) if (!k.startsWith('generate.kyverno.io/')) kept[k] = val;
  kept['app.kubernetes.io/managed-by'] = 'kyverno';
  meta['labels'] = kept;
  return { ...v, metadata: meta };
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  // Numbers from YAML and JSON compare by value (1 and 1.0 are the same).
  return false;
}

export interface Comparison {
  equal: boolean;
  /** A unified-style line diff (expected vs actual) when they differ. */
  diff: string;
}

export function compareResources(expected: JsonValue, actual: JsonValue, generated: boolean): Comparison {
  const e = tidy(generated ? normaliseGeneratedLabels(expected) : expected);
  const a = tidy(generated ? normaliseGeneratedLabels(actual) : actual);
  if (deepEqual(e, a)) return { equal: true, diff: '' };
  return { equal: false, diff: lineDiff(toYaml(sortKeys(e ?? null)), toYaml(sortKeys(a ?? null))) };
}

function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isJsonObject(v)) {
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k] as JsonValue);
    return out;
  }
  return v;
}

/** A small LCS line diff: '-' expected only, '+' actual only. Enough for resource-sized texts. */
export function lineDiff(expected: string, actual: string, options: { keepBlank?: boolean } = {}): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
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
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push(`- ${a[i]}`);
      i++;
    } else {
      out.push(`+ ${b[j]}`);
      j++;
    }
  }
  return (options.keepBlank ? out : out.filter((l) => l.trim() !== '')).join('\n');
}
