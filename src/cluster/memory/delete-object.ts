// The delete verb: preconditions, then the deletion the lifecycle carries out (finalizers, garbage
// collection, namespace and CRD cleanup), settled before the call returns.
import type { KubeObject } from '../../api/kube.js';
import type { DeleteOptions, ObjectRef } from '../client.js';
import { conflict } from '../errors.js';
import { render } from './reads.js';
import { currentObject, gr, resolveServed } from './resolve.js';
import type { WriteContext } from './write-context.js';

/** What a client sees of the object after the delete began (gone, or marked for deletion). */
export function deleteObject(w: WriteContext, ref: ObjectRef, options: DeleteOptions): KubeObject {
  const res = resolveServed(w.core, ref);
  const live = currentObject(w.core, res, ref);
  const pre = options.preconditions;
  if (pre?.uid !== undefined && pre.uid !== live.metadata.uid) {
    throw conflict(
      gr(res),
      ref.name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid ?? ''}`,
    );
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== live.metadata.resourceVersion) {
    throw conflict(
      gr(res),
      ref.name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion ?? ''}`,
    );
  }
  if (options.dryRun === true) return render(live, res);
  const result = w.lifecycle.beginDelete(res, live, options.propagationPolicy ?? 'Background');
  w.lifecycle.settle();
  return render(result, res);
}
