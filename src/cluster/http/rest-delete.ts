// DELETE of one object or a collection: DeleteOptions from the body or the query, admission
// (DELETE with the old object), and the API server's answers (the object while finalizers hold
// it, a Success Status once it is gone).
import type { JsonObject } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { DeleteOptions, PropagationPolicy } from '../client.js';
import { badRequest, isNotFound, resourceNotFound } from '../errors.js';
import { admissionAttrs } from './admission-attrs.js';
import { decodeObject, readBody } from './body.js';
import type { Call } from './rest-context.js';
import { apiVersionOf, dryRunOf, query, sendObject, sendPlain } from './rest-context.js';
import { successStatus } from './respond.js';
import { refOf } from './rest-write.js';

const POLICIES: PropagationPolicy[] = ['Background', 'Foreground', 'Orphan'];

async function deleteOptions(call: Call): Promise<{ options: DeleteOptions; raw: JsonObject }> {
  const raw = await readBody(call.req);
  let body: JsonObject = {};
  if (raw.length > 0) {
    const decoded = decodeObject(call.req.headers['content-type'], raw);
    if (!isJsonObject(decoded)) throw badRequest('DeleteOptions must be an object');
    body = decoded;
  }
  const options: DeleteOptions = {};
  const policy = (typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined) ?? query(call, 'propagationPolicy');
  const orphan = body.orphanDependents ?? (query(call, 'orphanDependents') === undefined ? undefined : query(call, 'orphanDependents') === 'true');
  if (policy !== undefined) {
    if (!POLICIES.includes(policy as PropagationPolicy)) {
      throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
    }
    options.propagationPolicy = policy as PropagationPolicy;
  } else if (orphan === true) options.propagationPolicy = 'Orphan';
  if (isJsonObject(body.preconditions)) {
    const pre: { uid?: string; resourceVersion?: string } = {};
    if (typeof body.preconditions.uid === 'string') pre.uid = body.preconditions.uid;
    if (typeof body.preconditions.resourceVersion === 'string') pre.resourceVersion = body.preconditions.resourceVersion;
    options.preconditions = pre;
  }
  options.dryRun = dryRunOf(call, body);
  return { options, raw: body };
}

async function deleteOne(call: Call, name: string, options: DeleteOptions, raw: JsonObject): Promise<{ gone: boolean; object: KubeObject }> {
  const { cluster, admission } = call.state;
  const ref = { ...refOf(call), name };
  if (await admission.active()) {
    const live = await cluster.get(ref);
    const extra: JsonObject = {};
    if (options.propagationPolicy !== undefined) extra.propagationPolicy = options.propagationPolicy;
    if (isJsonObject(raw.preconditions)) extra.preconditions = raw.preconditions;
    const attrs = admissionAttrs(call, 'DELETE', { oldObject: live, name }, { kind: 'DeleteOptions', dryRun: options.dryRun === true, extra });
    const mutated = await admission.mutate(attrs);
    const validated = await admission.validate(attrs);
    call.warnings.push(...mutated.warnings, ...validated.warnings);
  }
  const result = await cluster.delete(ref, options);
  if (options.dryRun === true && result !== undefined) return { gone: false, object: result };
  try {
    return { gone: false, object: await cluster.get(ref) };
  } catch (e) {
    if (!isNotFound(e) || result === undefined) throw e;
    return { gone: true, object: result };
  }
}

export async function handleDelete(call: Call): Promise<void> {
  if (call.info.subresource !== '') throw resourceNotFound();
  const { options, raw } = await deleteOptions(call);
  const { gone, object } = await deleteOne(call, call.info.name, options, raw);
  if (!gone) {
    await sendObject(call, options.dryRun === true ? 200 : 202, object);
    return;
  }
  const r = call.resource;
  const details: JsonObject = { name: call.info.name, kind: r.resource };
  if (r.group !== '') details.group = r.group;
  if (object.metadata.uid !== undefined) details.uid = object.metadata.uid;
  sendPlain(call, 200, successStatus(details));
}

export async function handleDeleteCollection(call: Call): Promise<void> {
  if (call.info.subresource !== '') throw resourceNotFound();
  if (call.resource.namespaced && call.info.namespace === '') throw resourceNotFound();
  const { options, raw } = await deleteOptions(call);
  const r = call.resource;
  const list = await call.state.cluster.list({ apiVersion: apiVersionOf(r), kind: r.kind }, {
    namespace: r.namespaced ? call.info.namespace : undefined,
    labelSelector: query(call, 'labelSelector'),
    fieldSelector: query(call, 'fieldSelector'),
  });
  const deleted: KubeObject[] = [];
  for (const item of list.items) {
    try {
      deleted.push((await deleteOne(call, item.metadata.name ?? '', options, raw)).object);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  sendPlain(call, 200, { kind: r.listKind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: list.resourceVersion }, items: deleted });
}
