// Applies the four patch types to a live object as kube-apiserver does: JSON patch, JSON merge
// patch, strategic merge patch (built-in types only: 415 for custom resources) and a simplified
// server-side apply (merge the applied configuration, record the manager's fields, and remove fields
// the manager applied before but no longer does).
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { PatchType } from '../client.js';
import { badRequest, invalid, unsupportedMediaType } from '../errors.js';
import { cloneJson } from '../json-util.js';
import { applyMergePatch } from '../../engine/patch/merge-patch.js';
import { patchSchemaFor } from '../../engine/patch/patch-schemas.js';
import { applyStrategicMergePatch, StrategicMergeError } from '../../engine/patch/strategic-merge.js';
import type { ServedResource } from './builtin-resources.js';

const UNSUPPORTED_PATCH =
  'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

export interface PatchInput {
  res: ServedResource;
  live: KubeObject;
  patch: JsonValue;
  type: PatchType;
  fieldManager?: string;
  now: string;
}

export function applyPatch(input: PatchInput): KubeObject {
  const { res, live, patch, type } = input;
  const doc = cloneJson(live) as unknown as JsonObject;
  let out: JsonValue;
  switch (type) {
    case 'json': {
      if (!Array.isArray(patch))
        throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      try {
        out = fastJsonPatch.applyPatch(doc, patch as unknown as Operation[], true, true).newDocument;
      } catch (e) {
        const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
        throw invalid({ group: res.group, kind: res.kind }, live.metadata.name ?? '', [
          { field: '', type: 'FieldValueInvalid', detail: message },
        ]);
      }
      break;
    }
    case 'merge':
      if (!isJsonObject(patch))
        throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      out = applyMergePatch(doc, patch);
      break;
    case 'strategic':
      if (res.custom) throw unsupportedMediaType(UNSUPPORTED_PATCH);
      if (!isJsonObject(patch))
        throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      try {
        out = applyStrategicMergePatch(doc, patch, patchSchemaFor(res.group, res.kind));
      } catch (e) {
        if (e instanceof StrategicMergeError) throw badRequest(e.message);
        throw e;
      }
      break;
    case 'apply':
      return applyConfiguration(input, doc);
  }
  if (!isJsonObject(out)) throw badRequest('the patch did not produce an object');
  return out as unknown as KubeObject;
}

/** Server-side apply onto an existing object (creation is handled by the caller). */
function applyConfiguration(input: PatchInput, live: JsonObject): KubeObject {
  const { res, patch } = input;
  const config = checkApplyConfig(input);
  const manager = input.fieldManager ?? '';
  const liveObj = live as unknown as KubeObject;
  const previous = (liveObj.metadata.managedFields ?? []).find(
    (m) => m.manager === manager && m.operation === 'Apply',
  );
  const merged = res.custom
    ? (applyMergePatch(live, config) as JsonObject)
    : applyStrategicMergePatch(live, config, patchSchemaFor(res.group, res.kind));
  const owned = fieldSet(config);
  if (isJsonObject(previous?.fieldsV1)) removeDisowned(merged, previous.fieldsV1, owned);
  const result = merged as unknown as KubeObject;
  result.metadata.managedFields = recordManager(
    liveObj.metadata.managedFields ?? [],
    manager,
    owned,
    patch,
    input.now,
  );
  return result;
}

export function checkApplyConfig(input: PatchInput): JsonObject {
  const { res, patch, live } = input;
  if (input.fieldManager === undefined || input.fieldManager === '') {
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  }
  if (!isJsonObject(patch))
    throw badRequest('error decoding YAML: the apply configuration must be an object');
  const meta = isJsonObject(patch.metadata) ? patch.metadata : {};
  if (typeof patch.apiVersion !== 'string' || patch.kind !== res.kind) {
    throw badRequest(`error decoding YAML: Object 'Kind' is missing or does not match "${res.kind}"`);
  }
  if (meta.name !== undefined && meta.name !== live.metadata.name) {
    throw badRequest(
      `the name of the object (${JSON.stringify(meta.name)}) does not match the name on the URL (${live.metadata.name ?? ''})`,
    );
  }
  return cloneJson(patch);
}

/** The fieldsV1 set of an applied configuration: `f:` per map key, `.` marks a leaf. */
function fieldSet(config: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata' && isJsonObject(value)) {
      const meta: JsonObject = {};
      for (const mk of ['labels', 'annotations'] as const) {
        const m = value[mk];
        if (isJsonObject(m)) meta[`f:${mk}`] = Object.fromEntries(Object.keys(m).map((k) => [`f:${k}`, {}]));
      }
      out['f:metadata'] = meta;
      continue;
    }
    out[`f:${key}`] = isJsonObject(value) ? { '.': {}, ...fieldSet(value) } : {};
  }
  return out;
}

/** Deletes map fields that `before` owned and `after` no longer lists. */
function removeDisowned(target: JsonObject, before: JsonObject, after: JsonObject): void {
  for (const [fkey, sub] of Object.entries(before)) {
    if (!fkey.startsWith('f:')) continue;
    const key = fkey.slice(2);
    const now = after[fkey];
    if (now === undefined) delete target[key];
    else if (isJsonObject(sub) && isJsonObject(now) && isJsonObject(target[key]))
      removeDisowned(target[key], sub, now);
  }
}

function recordManager(
  entries: JsonObject[],
  manager: string,
  owned: JsonObject,
  patch: JsonValue,
  now: string,
): JsonObject[] {
  const apiVersion = isJsonObject(patch) && typeof patch.apiVersion === 'string' ? patch.apiVersion : '';
  const others = entries.filter((m) => !(m.manager === manager && m.operation === 'Apply'));
  return [
    ...others,
    { manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: owned },
  ];
}

/** The managedFields of an object created by server-side apply. */
export function initialManagedFields(config: JsonObject, manager: string, now: string): JsonObject[] {
  return recordManager([], manager, fieldSet(config), config, now);
}
