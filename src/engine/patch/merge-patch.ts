// JSON merge patch (RFC 7386): objects merge recursively, null deletes, everything else replaces.
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { cloneJson } from './json-util.js';

export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
