// Value helpers for printed tables: Kubernetes' human-readable durations and the small JSONPath
// subset CRD printer columns use (`.a.b`, `.a[0]`, `.a[?(@.type=="Ready")].status`).
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

type Step = { key: string } | { index: number } | { filterKey: string; filterValue: string };

function parsePath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_-]+)==["']([^"']*)["']\)\]/y;
  const p = path.replace(/^\{|\}$/g, '');
  let pos = 0;
  while (pos < p.length) {
    re.lastIndex = pos;
    const m = re.exec(p);
    if (m === null) return undefined;
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else steps.push({ filterKey: m[3] ?? '', filterValue: m[4] ?? '' });
    pos = re.lastIndex;
  }
  return steps;
}

export function jsonPathValue(root: JsonValue, path: string): JsonValue | undefined {
  const steps = parsePath(path);
  if (steps === undefined) return undefined;
  let cur: JsonValue | undefined = root;
  for (const s of steps) {
    if (cur === undefined) return undefined;
    if ('key' in s) cur = isJsonObject(cur) ? cur[s.key] : undefined;
    else if ('index' in s) cur = Array.isArray(cur) ? cur[s.index] : undefined;
    else cur = Array.isArray(cur) ? cur.find((x) => isJsonObject(x) && JSON.stringify(x[s.filterKey]) === JSON.stringify(s.filterValue)) : undefined;
  }
  return cur;
}
