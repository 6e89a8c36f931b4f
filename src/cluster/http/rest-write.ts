// create, update (PUT) and the status subresource: body checks as kube-apiserver makes them, the
// admission chain (mutating, then validating against what would be stored), then the write.
import type { JsonObject } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { ObjectRef } from '../client.js';
import { badRequest, resourceNotFound } from '../errors.js';
import { REVIEW_KINDS } from '../memory/index.js';
import { admissionAttrs } from './admission-attrs.js';
import { decodeObject, readBody } from './body.js';
import type { Call } from './rest-context.js';
import { apiVersionOf, dryRunOf, query, sendObject } from './rest-context.js';

export function refOf(call: Call): ObjectRef {
  const r = call.resource;
  const ref: ObjectRef = { apiVersion: apiVersionOf(r), kind: r.kind, name: call.info.name };
  if (r.namespaced) ref.namespace = call.info.namespace;
  return ref;
}

/** The request body as an object of the URL's kind, in the URL's namespace. */
export async function readObject(call: Call): Promise<KubeObject> {
  const raw = await readBody(call.req);
  const body = decodeObject(call.req.headers['content-type'], raw);
  if (!isJsonObject(body)) throw badRequest(`Object 'Kind' is missing in '${raw.toString('utf8').slice(0, 200)}'`);
  if (typeof body.kind !== 'string' || body.kind === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
  const expected = apiVersionOf(call.resource);
  if (typeof body.apiVersion !== 'string' || body.apiVersion === '') body.apiVersion = expected;
  if (body.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (body.kind !== call.resource.kind) {
    throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${call.resource.kind})`);
  }
  const meta: JsonObject = isJsonObject(body.metadata) ? body.metadata : {};
  body.metadata = meta;
  if (call.resource.namespaced) {
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    if (ns !== '' && call.info.namespace !== '' && ns !== call.info.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (ns === '') meta.namespace = call.info.namespace;
  } else delete meta.namespace;
  return body as unknown as KubeObject;
}

/** The API server's defaulting the memory core does not do (yet). */
function applyCreateDefaults(obj: KubeObject): KubeObject {
  if (obj.apiVersion === 'v1' && obj.kind === 'Secret' && (typeof obj.type !== 'string' || obj.type === '')) obj.type = 'Opaque';
  return obj;
}

export async function handleCreate(call: Call): Promise<void> {
  if (call.info.subresource !== '' || call.info.name !== '') throw resourceNotFound();
  if (call.resource.namespaced && call.info.namespace === '') throw resourceNotFound();
  let obj = applyCreateDefaults(await readObject(call));
  // Access reviews are questions, not objects: answered for whoever asked, and never admitted or stored.
  if (call.resource.group === 'authorization.k8s.io' && REVIEW_KINDS.has(call.resource.kind)) {
    return sendObject(call, 201, call.state.cluster.answerAccessReview(obj, call.user));
  }
  const dryRun = dryRunOf(call);
  const fieldManager = query(call, 'fieldManager');
  const { cluster, admission } = call.state;
  let uidSeen: string | undefined;
  if (await admission.active()) {
    const attrs = admissionAttrs(call, 'CREATE', { object: obj, name: obj.metadata.name ?? '' }, { kind: 'CreateOptions', dryRun });
    const mutated = await admission.mutate(attrs);
    call.warnings.push(...mutated.warnings);
    obj = mutated.object ?? obj;
    const proposed = await cluster.create(obj, { dryRun: true, fieldManager });
    // The name generateName produced and the uid are the ones the webhooks see and the object keeps.
    const { name, uid, creationTimestamp } = proposed.metadata;
    obj = { ...obj, metadata: { ...obj.metadata, name, uid, creationTimestamp } };
    const validated = await admission.validate({ ...attrs, object: obj, name: name ?? '' }, () => Promise.resolve(proposed));
    call.warnings.push(...validated.warnings);
    uidSeen = uid;
  }
  await sendObject(call, 201, await cluster.create(obj, { dryRun, fieldManager, uid: uidSeen }));
}

export async function handleUpdate(call: Call): Promise<void> {
  const sub = call.info.subresource;
  if (sub !== '' && sub !== 'status') throw resourceNotFound();
  let obj = await readObject(call);
  const name = obj.metadata.name;
  if (name === undefined || name === '') obj.metadata.name = call.info.name;
  else if (name !== call.info.name) {
    throw badRequest(`the name of the object (${name}) does not match the name on the URL (${call.info.name})`);
  }
  const dryRun = dryRunOf(call);
  const fieldManager = query(call, 'fieldManager');
  const { cluster, admission } = call.state;
  const write = (o: KubeObject, dry: boolean): Promise<KubeObject> =>
    sub === 'status' ? cluster.updateStatus(o, { dryRun: dry, fieldManager }) : cluster.update(o, { dryRun: dry, fieldManager });
  if (await admission.active()) {
    const live = await cluster.get(refOf(call));
    const attrs = admissionAttrs(call, 'UPDATE', { object: obj, oldObject: live }, { kind: 'UpdateOptions', dryRun });
    const mutated = await admission.mutate(attrs);
    call.warnings.push(...mutated.warnings);
    obj = mutated.object ?? obj;
    const next = obj;
    const validated = await admission.validate({ ...attrs, object: obj }, () => write(next, true));
    call.warnings.push(...validated.warnings);
  }
  await sendObject(call, 200, await write(obj, dryRun));
}
