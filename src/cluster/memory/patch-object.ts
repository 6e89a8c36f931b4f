// The patch verb: JSON, merge, strategic-merge and server-side apply patches of a live object; an
// apply to an object that does not exist creates it.
import type { KubeObject } from '../../api/kube.js';
import type { ObjectRef, PatchBody, PatchOptions, PatchType } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { createObject } from './create-object.js';
import { applyPatch, checkApplyConfig, initialManagedFields } from './patching.js';
import { gr, namespaceFor, resolveServed } from './resolve.js';
import { commitChange, keepLiveStatus } from './update-object.js';
import type { WriteContext } from './write-context.js';

export function patchObject(
  w: WriteContext,
  ref: ObjectRef,
  patch: PatchBody,
  type: PatchType,
  options: PatchOptions,
): KubeObject {
  const { core } = w;
  const res = resolveServed(core, ref);
  const live = core.get(res, namespaceFor(res, ref.namespace), ref.name);
  const now = core.now();
  if (live === undefined) {
    if (type !== 'apply') throw notFound(gr(res), ref.name);
    const stub: KubeObject = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    };
    const config = checkApplyConfig({
      res,
      live: stub,
      patch,
      type,
      fieldManager: options.fieldManager,
      now,
    });
    const obj = config as unknown as KubeObject;
    obj.metadata = { ...obj.metadata, name: ref.name, namespace: ref.namespace };
    return createObject(w, obj, {
      ...options,
      managedFields: initialManagedFields(config, options.fieldManager ?? '', now),
    });
  }
  const next = applyPatch({ res, live, patch, type, fieldManager: options.fieldManager, now });
  const requestedRv = next.metadata?.resourceVersion;
  if (requestedRv !== undefined && requestedRv !== live.metadata.resourceVersion)
    throw conflict(gr(res), ref.name);
  keepLiveStatus(res, live, next);
  return commitChange(w, res, live, next, options);
}
