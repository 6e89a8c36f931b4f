// patchStrategicMerge as Kyverno applies it (kustomize's merge): Kubernetes' patch metadata for the
// built-in types, and for other lists of maps the associative key kustomize infers from the items.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import { parseApiVersion } from '../../api/kube.js';
import { patchSchemaFor } from '../patch/patch-schemas.js';
import type { FieldPatchSchema, PatchSchema } from '../patch/strategic-merge.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import { preprocessPatch } from './preprocess.js';

const associativeKeys = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort'];

function inferKey(items: JsonValue[]): string | undefined {
  if (items.length === 0 || !items.every(isJsonObject)) return undefined;
  return associativeKeys.find((k) => items.every((i) => isJsonObject(i) && i[k] !== undefined));
}

/** The schema below this node, extended with inferred merge keys for lists it does not describe. */
function withInferred(
  schema: FieldPatchSchema,
  original: JsonValue | undefined,
  patch: JsonValue,
): FieldPatchSchema {
  if (Array.isArray(patch)) {
    const items = [...patch, ...(Array.isArray(original) ? original : [])];
    const out: FieldPatchSchema = { ...schema };
    if (schema.mergeList !== true) {
      const key = inferKey(items);
      if (key !== undefined) {
        out.mergeList = true;
        out.mergeKey = key;
      }
    }
    if (out.mergeList === true && out.mergeKey !== undefined) {
      const fields: Record<string, FieldPatchSchema> = { ...(schema.fields ?? {}) };
      for (const p of patch) {
        if (!isJsonObject(p)) continue;
        const match = (Array.isArray(original) ? original : []).find(
          (o) => isJsonObject(o) && out.mergeKey !== undefined && o[out.mergeKey] === p[out.mergeKey],
        );
        for (const [k, v] of Object.entries(p)) {
          fields[k] = withInferred(fields[k] ?? {}, isJsonObject(match) ? match[k] : undefined, v);
        }
      }
      out.fields = fields;
    }
    return out;
  }
  if (!isJsonObject(patch)) return schema;
  const fields: Record<string, FieldPatchSchema> = { ...(schema.fields ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    fields[k] = withInferred(fields[k] ?? {}, isJsonObject(original) ? original[k] : undefined, v);
  }
  return { ...schema, fields };
}

/** Resolves anchors and merges; throws AnchorConditionError when a condition voids the patch. */
export function applyPatchStrategicMerge(resource: KubeObject, overlay: JsonValue): JsonObject {
  const original = resource as unknown as JsonObject;
  const patch = preprocessPatch(overlay, original);
  if (!isJsonObject(patch)) return original;
  const { group } = parseApiVersion(resource.apiVersion);
  const base: PatchSchema = patchSchemaFor(group, resource.kind);
  return applyStrategicMergePatch(original, patch, withInferred(base, original, patch));
}
