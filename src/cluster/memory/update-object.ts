// The update and updateStatus verbs, and the commit every change to an existing object (patches
// too) ends in: the optimistic-concurrency check, the fields only the server sets, validation and
// the write.
import type { KubeObject } from '../../api/kube.js';
import type { WriteOptions } from '../client.js';
import { badRequest, conflict, invalid, resourceNotFound } from '../errors.js';
import { cloneJson, jsonEqual } from '../json-util.js';
import type { ServedResource } from './builtin-resources.js';
import { validateCrd } from './crds.js';
import { applyServerDefaults, specChanged, validateLabelsAndAnnotations } from './object-meta.js';
import { render } from './reads.js';
import { currentObject, gr, refOf, resolveServed } from './resolve.js';
import type { WriteContext } from './write-context.js';

// Whatever the request says, the live values of these stay.
const SERVER_SET_METADATA = [
  'name',
  'namespace',
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
];

/** Replaces the object `obj` names; its status stays when status is a subresource. */
export function updateObject(w: WriteContext, obj: KubeObject, options: WriteOptions): KubeObject {
  const res = resolveServed(w.core, obj);
  const live = currentObject(w.core, res, refOf(obj));
  const next = cloneJson(obj);
  keepLiveStatus(res, live, next);
  return commitChange(w, res, live, next, options);
}

/** The status subresource: only `obj.status` (and its resourceVersion precondition) is taken. */
export function updateObjectStatus(w: WriteContext, obj: KubeObject, options: WriteOptions): KubeObject {
  const res = resolveServed(w.core, obj);
  if (!res.subresources.includes('status')) throw resourceNotFound();
  const live = currentObject(w.core, res, refOf(obj));
  const next = cloneJson(live);
  next.metadata.resourceVersion = obj.metadata.resourceVersion;
  if (obj.status === undefined) delete next.status;
  else next.status = cloneJson(obj.status);
  return commitChange(w, res, live, next, options);
}

/** Writes through the main resource never change a status that has its own subresource. */
export function keepLiveStatus(res: ServedResource, live: KubeObject, next: KubeObject): void {
  if (!res.subresources.includes('status')) return;
  if (live.status === undefined) delete next.status;
  else next.status = cloneJson(live.status);
}

/** The common tail of update, updateStatus and patch: concurrency check, server fields, write. */
export function commitChange(
  w: WriteContext,
  res: ServedResource,
  live: KubeObject,
  next: KubeObject,
  options: WriteOptions,
): KubeObject {
  // An update that leaves a Secret's type out keeps the stored one (it is immutable).
  if (res.resource === 'secrets' && res.group === '' && next['type'] === undefined) next['type'] = live['type'];
  applyServerDefaults(res, next);
  const name = live.metadata.name ?? '';
  const rv = next.metadata?.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== live.metadata.resourceVersion) throw conflict(gr(res), name);
  if (next.kind !== res.kind || typeof next.apiVersion !== 'string')
    throw badRequest(`Object 'Kind' is missing or does not match "${res.kind}"`);
  const meta: KubeObject['metadata'] = { ...(next.metadata ?? {}) };
  for (const key of SERVER_SET_METADATA) {
    if (live.metadata[key] === undefined) delete meta[key];
    else meta[key] = live.metadata[key];
  }
  meta.resourceVersion = live.metadata.resourceVersion;
  if (meta.managedFields === undefined && live.metadata.managedFields !== undefined)
    meta.managedFields = live.metadata.managedFields;
  if (live.metadata.deletionTimestamp !== undefined) checkNoNewFinalizers(res, live, meta, name);
  const candidate: KubeObject = { ...next, metadata: meta };
  const metaErrors = validateLabelsAndAnnotations(candidate);
  if (metaErrors.length > 0) throw invalid({ group: res.group, kind: res.kind }, name, metaErrors);
  if (res.resource === 'customresourcedefinitions') {
    const errs = validateCrd(candidate);
    if (errs.length > 0) throw invalid({ group: res.group, kind: res.kind }, name, errs);
  }
  if (jsonEqual(candidate, live)) return render(live, res);
  if (res.tracksGeneration && specChanged(live, candidate, res.subresources.includes('status'))) {
    meta.generation = (live.metadata.generation ?? 0) + 1;
  }
  if (options.dryRun === true) return render(candidate, res);
  w.core.write(res, candidate, live);
  w.lifecycle.settle();
  return render(candidate, res);
}

/** An object being deleted may lose finalizers but not gain any. */
function checkNoNewFinalizers(
  res: ServedResource,
  live: KubeObject,
  meta: KubeObject['metadata'],
  name: string,
): void {
  const added = (meta.finalizers ?? []).filter((f) => !(live.metadata.finalizers ?? []).includes(f));
  if (added.length === 0) return;
  throw invalid({ group: res.group, kind: res.kind }, name, [
    {
      field: 'metadata.finalizers',
      type: 'FieldValueForbidden',
      detail: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
    },
  ]);
}
