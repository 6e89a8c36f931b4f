// Strategic merge patch, as kube-apiserver applies it to built-in types. Pure (no I/O): the engine's
// mutate reuses it. Lists merge by their patchMergeKey when the type's patch metadata says
// `patchStrategy: merge`; other lists are replaced. Directives: `$patch: replace|delete|merge`,
// `$retainKeys`, `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` is accepted and
// ignored (new list items are appended, existing ones keep their place).
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { cloneJson, jsonEqual } from './json-util.js';

/** Patch metadata for one object type: which fields are merge lists, and the types below them. */
export interface PatchSchema {
  fields?: Record<string, FieldPatchSchema>;
}

/** A field's metadata; for lists, `fields` describes the items. */
export interface FieldPatchSchema extends PatchSchema {
  /** patchStrategy "merge": merge by mergeKey (object items) or as a set (primitive items). */
  mergeList?: boolean;
  /** patchMergeKey */
  mergeKey?: string;
  /** patchStrategy "retainKeys": with `$retainKeys`, keys not listed are cleared. */
  retainKeys?: boolean;
}

export class StrategicMergeError extends Error {}

const DIRECTIVE_PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';

function isDirectiveKey(key: string): boolean {
  return (
    key === DIRECTIVE_PATCH ||
    key === RETAIN_KEYS ||
    key.startsWith(DELETE_PRIMITIVE) ||
    key.startsWith(SET_ORDER)
  );
}

/** Returns the patched document; `original` is not modified. */
export function applyStrategicMergePatch(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema = {},
): JsonObject {
  return mergeMap(original, patch, schema) ?? {};
}

function mergeMap(
  original: JsonObject | undefined,
  patch: JsonObject,
  schema: PatchSchema,
): JsonObject | undefined {
  const directive = patch[DIRECTIVE_PATCH];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined && directive !== 'merge') {
    throw new StrategicMergeError(`Unknown patch type: ${JSON.stringify(directive)}`);
  }
  const out: JsonObject = original === undefined ? {} : { ...original };
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicMergeError('$retainKeys must be a list of strings');
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const current = out[field];
      if (!Array.isArray(value)) throw new StrategicMergeError(`${key} must be a list`);
      if (Array.isArray(current)) out[field] = current.filter((v) => !value.some((d) => jsonEqual(d, v)));
      continue;
    }
    if (isDirectiveKey(key)) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergeValue(out[key], value, schema.fields?.[key] ?? {});
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

function mergeValue(
  original: JsonValue | undefined,
  patch: JsonValue,
  schema: FieldPatchSchema,
): JsonValue | undefined {
  if (isJsonObject(patch)) return mergeMap(isJsonObject(original) ? original : undefined, patch, schema);
  if (Array.isArray(patch)) {
    if (schema.mergeList === true) return mergeList(Array.isArray(original) ? original : [], patch, schema);
    return patch.map((item) => (isJsonObject(item) ? stripDirectives(item) : cloneJson(item)));
  }
  return patch;
}

function mergeList(original: JsonValue[], patch: JsonValue[], schema: FieldPatchSchema): JsonValue[] {
  const replaceMarker = patch.findIndex((p) => isJsonObject(p) && p[DIRECTIVE_PATCH] === 'replace');
  if (replaceMarker >= 0) {
    return patch
      .filter((_, i) => i !== replaceMarker)
      .map((p) => (isJsonObject(p) ? stripDirectives(p) : cloneJson(p)));
  }
  const key = schema.mergeKey;
  if (key === undefined || patch.every((p) => !isJsonObject(p))) {
    // A set of primitives: union, keeping the original order.
    const out = [...original];
    for (const p of patch) if (!out.some((o) => jsonEqual(o, p))) out.push(cloneJson(p));
    return out;
  }
  const out = [...original];
  for (const item of patch) {
    if (!isJsonObject(item))
      throw new StrategicMergeError(`list items under merge key ${key} must be objects`);
    const id = item[key];
    const at = id === undefined ? -1 : out.findIndex((o) => isJsonObject(o) && jsonEqual(o[key], id));
    if (item[DIRECTIVE_PATCH] === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(out[at] as JsonObject, item, schema);
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else {
      out.push(mergeMap(undefined, item, schema) ?? {});
    }
  }
  return out;
}

/** A new value from the patch keeps no directives (`$patch: delete` inside drops the entry). */
function stripDirectives(obj: JsonObject): JsonObject {
  return mergeMap(undefined, { ...obj, [DIRECTIVE_PATCH]: 'merge' }, {}) ?? {};
}
