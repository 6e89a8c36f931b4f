// PATCH in its four media types. Without webhooks the memory server patches directly; with them,
// the patch is first dry-run to get the object the webhooks see, and a mutated result is written
// with the live resourceVersion (retried on conflict, as kube-apiserver's update loop does).
import fastJsonPatch from 'fast-json-patch';
import type { Operation as JsonPatchOperation } from 'fast-json-patch';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { PatchType } from '../client.js';
import { badRequest, invalid, isConflict, isNotFound, resourceNotFound } from '../errors.js';
import { cloneJson, jsonEqual } from '../json-util.js';
import { applyMergePatch } from '../../engine/patch/merge-patch.js';
import { patchSchemaFor } from '../../engine/patch/patch-schemas.js';
import { applyStrategicMergePatch } from '../../engine/patch/strategic-merge.js';
import { admissionAttrs } from './admission-attrs.js';
import { decodePatch, readBody } from './body.js';
import type { Call } from './rest-context.js';
import { dryRunOf, query, sendObject } from './rest-context.js';
import { refOf } from './rest-write.js';

const MAX_ATTEMPTS = 5;

async function tryGet(call: Call): Promise<KubeObject | undefined> {
  try {
    return await call.state.cluster.get(refOf(call));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function handlePatch(call: Call): Promise<void> {
  const sub = call.info.subresource;
  if (sub !== '' && sub !== 'status') throw resourceNotFound();
  const { type, patch } = decodePatch(call.req.headers['content-type'], await readBody(call.req), false);
  const dryRun = dryRunOf(call);
  if (sub === 'status') return patchStatus(call, type, patch, dryRun);
  const options = { dryRun, fieldManager: query(call, 'fieldManager'), force: query(call, 'force') === 'true' };
  const { cluster, admission } = call.state;
  const ref = refOf(call);
  if (!(await admission.active())) {
    const existed = type !== 'apply' || (await tryGet(call)) !== undefined;
    await sendObject(call, existed ? 200 : 201, await cluster.patch(ref, patch, type, options));
    return;
  }
  for (let attempt = 1; ; attempt++) {
    const live = await tryGet(call);
    const proposed = await cluster.patch(ref, patch, type, { ...options, dryRun: true });
    const operation = live === undefined ? 'CREATE' : 'UPDATE';
    const attrs = admissionAttrs(call, operation, { object: proposed, oldObject: live }, { kind: live === undefined ? 'CreateOptions' : 'UpdateOptions', dryRun });
    const mutated = await admission.mutate(attrs);
    const result = mutated.object ?? proposed;
    const changed = !jsonEqual(result, proposed);
    const store = (dry: boolean): Promise<KubeObject> => {
      if (!changed) return cluster.patch(ref, patch, type, { ...options, dryRun: dry });
      if (live === undefined) return cluster.create(result, { dryRun: dry, fieldManager: options.fieldManager });
      const pinned = { ...result, metadata: { ...result.metadata, resourceVersion: live.metadata.resourceVersion } };
      return cluster.update(pinned, { dryRun: dry, fieldManager: options.fieldManager });
    };
    const validated = await admission.validate({ ...attrs, object: result }, () => (changed ? store(true) : Promise.resolve(proposed)));
    try {
      const stored = await store(dryRun);
      call.warnings.push(...mutated.warnings, ...validated.warnings);
      await sendObject(call, live === undefined ? 201 : 200, stored);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

/** Applies a patch to a whole object, for the status subresource (whose changes patch() ignores). */
function applyToObject(call: Call, live: KubeObject, type: PatchType, patch: JsonValue): KubeObject {
  const doc = cloneJson(live) as unknown as JsonObject;
  let out: JsonValue;
  if (type === 'json') {
    if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    try {
      out = fastJsonPatch.applyPatch(doc, patch as unknown as JsonPatchOperation[], true, false).newDocument;
    } catch (e) {
      const detail = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
      throw invalid({ group: call.resource.group, kind: call.resource.kind }, call.info.name, [{ field: '', type: 'FieldValueInvalid', detail }]);
    }
  } else {
    if (!isJsonObject(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
    // Server-side apply on status is treated as a merge of the applied configuration.
    out = type === 'strategic'
      ? applyStrategicMergePatch(doc, patch, patchSchemaFor(call.resource.group, call.resource.kind))
      : applyMergePatch(doc, patch);
  }
  if (!isJsonObject(out)) throw badRequest('the patch did not produce an object');
  return out as unknown as KubeObject;
}

async function patchStatus(call: Call, type: PatchType, patch: JsonValue, dryRun: boolean): Promise<void> {
  const { cluster, admission } = call.state;
  for (let attempt = 1; ; attempt++) {
    const live = await cluster.get(refOf(call));
    let next = applyToObject(call, live, type, patch);
    next.metadata = { ...next.metadata, resourceVersion: live.metadata.resourceVersion };
    const warnings: string[] = [];
    if (await admission.active()) {
      const attrs = admissionAttrs(call, 'UPDATE', { object: next, oldObject: live }, { kind: 'UpdateOptions', dryRun });
      const mutated = await admission.mutate(attrs);
      next = mutated.object ?? next;
      const candidate = next;
      const validated = await admission.validate({ ...attrs, object: next }, () => cluster.updateStatus(candidate, { dryRun: true }));
      warnings.push(...mutated.warnings, ...validated.warnings);
    }
    try {
      const stored = await cluster.updateStatus(next, { dryRun, fieldManager: query(call, 'fieldManager') });
      call.warnings.push(...warnings);
      await sendObject(call, 200, stored);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}
