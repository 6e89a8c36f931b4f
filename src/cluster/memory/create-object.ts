// The create verb: the server-side checks and fields of a new object, then the write. Also the path
// a server-side apply takes when the object does not exist yet.
import type { KubeObject } from '../../api/kube.js';
import type { WriteOptions } from '../client.js';
import { alreadyExists, forbidden, invalid, notFound } from '../errors.js';
import { cloneJson } from '../json-util.js';
import { REVIEW_KINDS } from './access.js';
import type { ServedResource } from './builtin-resources.js';
import type { Core } from './core.js';
import { establishedStatus, validateCrd } from './crds.js';
import {
  applyServerDefaults,
  generatedName,
  nameRuleFor,
  validateLabelsAndAnnotations,
  validateName,
} from './object-meta.js';
import { render } from './reads.js';
import { gr, namespaceFor, resolveServed } from './resolve.js';
import type { WriteContext } from './write-context.js';

export type CreateOptions = WriteOptions & {
  /** Set by server-side apply: the managers of the fields the first apply configured. */
  managedFields?: KubeObject['metadata']['managedFields'];
  /** A uid chosen before the create (the embedded server's admission dry run); otherwise a new one. */
  uid?: string;
};

/** Creates a copy of `input`; returns what a client sees of the stored (or dry-run) object. */
export function createObject(w: WriteContext, input: KubeObject, options: CreateOptions): KubeObject {
  const { core } = w;
  const res = resolveServed(core, input);
  const obj = cloneJson(input);
  const meta = obj.metadata ?? {};
  obj.metadata = meta;
  // Review kinds (SubjectAccessReview...) are answered, never stored; asked through the port, the
  // requester is this client's own identity.
  if (res.verbs.length === 1 && res.verbs[0] === 'create') {
    if (REVIEW_KINDS.has(res.kind)) return render(w.access.answer(obj, w.access.identity), res);
    return render({ ...obj, status: { allowed: true } }, res);
  }
  if (res.namespaced) meta.namespace = namespaceFor(res, meta.namespace);
  else delete meta.namespace;
  if (
    (meta.name === undefined || meta.name === '') &&
    meta.generateName !== undefined &&
    meta.generateName !== ''
  ) {
    meta.name = generatedName(meta.generateName, core.options.random);
  }
  const name = meta.name ?? '';
  checkNewObject(core, res, obj, name);
  setServerFields(core, res, obj, options);
  if (options.dryRun === true) return render(obj, res);
  const stored = core.write(res, obj, undefined);
  w.lifecycle.settle();
  return render(core.get(res, meta.namespace ?? '', name) ?? stored, res);
}

/**
 * Rejects what the API server would not store: no name, invalid names or metadata, an invalid
 * CRD, a missing or terminating namespace, a name already taken. Applies the server's defaults
 * first, as those are validated too.
 */
function checkNewObject(core: Core, res: ServedResource, obj: KubeObject, name: string): void {
  const meta = obj.metadata;
  const kindRef = { group: res.group, kind: res.kind };
  if (name === '') {
    throw invalid(kindRef, '', [
      {
        field: 'metadata.name',
        type: 'FieldValueRequired',
        detail: 'Required value: name or generateName is required',
      },
    ]);
  }
  applyServerDefaults(res, obj);
  const nameErrors = [
    ...validateName(name, nameRuleFor(res.group, res.resource)),
    ...validateLabelsAndAnnotations(obj),
  ];
  if (nameErrors.length > 0) throw invalid(kindRef, name, nameErrors);
  if (res.resource === 'customresourcedefinitions') {
    const errs = validateCrd(obj);
    if (errs.length > 0) throw invalid(kindRef, name, errs);
  }
  if (res.namespaced) {
    const nsRes = resolveServed(core, { apiVersion: 'v1', kind: 'Namespace' });
    const ns = core.get(nsRes, '', meta.namespace ?? '');
    if (ns === undefined) throw notFound(gr(nsRes), meta.namespace ?? '');
    if (ns.metadata.deletionTimestamp !== undefined) {
      throw forbidden(
        gr(res),
        name,
        `unable to create new content in namespace ${meta.namespace ?? ''} because it is being terminated`,
      );
    }
  }
  if (core.get(res, meta.namespace ?? '', name) !== undefined) throw alreadyExists(gr(res), name);
}

/** The fields only the server sets on a new object, whatever the request said. */
function setServerFields(core: Core, res: ServedResource, obj: KubeObject, options: CreateOptions): void {
  const meta = obj.metadata;
  meta.uid = options.uid ?? core.options.newUid();
  meta.creationTimestamp = core.now();
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  if (res.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
  if (options.managedFields !== undefined) meta.managedFields = options.managedFields;
  if (res.subresources.includes('status') && res.resource !== 'namespaces') delete obj.status;
  if (res.group === '' && res.resource === 'namespaces') {
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  }
  if (res.resource === 'customresourcedefinitions') obj.status = establishedStatus(obj, core.now());
}
