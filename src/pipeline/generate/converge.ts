// Deciding whether a live downstream object already is what the plan wants, without update loops:
// fields the server fills in (defaults, status, server metadata) must not count as drift, while a key
// removed from a ConfigMap/Secret-style map must (Kyverno #9972).
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';

function isScalarMap(v: JsonValue | undefined): boolean {
  return isJsonObject(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');
}

/** Every key of `want` has the same value in `have` (recursively); arrays must match element-wise. */
export function isSubset(want: JsonValue | undefined, have: JsonValue | undefined): boolean {
  if (want === undefined || want === null) return true;
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => isSubset(w, have[i]));
  }
  if (isJsonObject(want)) {
    if (!isJsonObject(have)) return Object.keys(want).length === 0;
    return Object.entries(want).every(([k, w]) => isSubset(w, have[k]));
  }
  return want === have;
}

/** A Secret's stringData as the API server stores it: base64 in `data`. */
function asStored(desired: KubeObject): KubeObject {
  const stringData = (desired as Record<string, unknown>)['stringData'];
  if (desired.kind !== 'Secret' || !isJsonObject(stringData)) return desired;
  const data: Record<string, JsonValue> = { ...(((desired as Record<string, unknown>)['data'] ?? {}) as Record<string, JsonValue>) };
  for (const [k, v] of Object.entries(stringData as Record<string, JsonValue>)) data[k] = Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64');
  const { stringData: _s, ...rest } = desired as Record<string, unknown>;
  return { ...(rest as KubeObject), data };
}

/** True when `live` already holds everything `desired` says (top-level scalar maps exactly). */
export function isConverged(wanted: KubeObject, live: KubeObject): boolean {
  const desired = asStored(wanted);
  for (const [key, want] of Object.entries(desired)) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    const have = (live as Record<string, unknown>)[key] as JsonValue | undefined;
    if (isScalarMap(want as JsonValue)) {
      if (!isJsonObject(have)) return Object.keys(want as object).length === 0;
      const w = want as Record<string, JsonValue>;
      if (Object.keys(w).length !== Object.keys(have).length) return false;
      if (!Object.entries(w).every(([k, v]) => have[k] === v)) return false;
    } else if (!isSubset(want as JsonValue, have)) {
      return false;
    }
  }
  // Keys the desired object no longer has at the top level (e.g. a data map emptied at the source).
  for (const key of ['data', 'stringData', 'binaryData']) {
    if (
      !(key in desired) &&
      isScalarMap((live as Record<string, unknown>)[key] as JsonValue) &&
      Object.keys((live as Record<string, object>)[key] ?? {}).length > 0
    ) {
      return false;
    }
  }
  const dm = desired.metadata;
  return (
    isSubset(dm.labels ?? {}, live.metadata.labels ?? {}) &&
    isSubset(dm.annotations ?? {}, live.metadata.annotations ?? {})
  );
}
