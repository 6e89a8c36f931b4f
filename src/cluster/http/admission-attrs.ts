// Builds the admission attributes of a REST call (who, what, which operation, with which options).
import type { Operation } from '../../api/admission.js';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { AdmissionAttributes } from './admission/types.js';
import type { Call } from './rest-context.js';

export function admissionAttrs(
  call: Call,
  operation: Operation,
  objects: { object?: KubeObject; oldObject?: KubeObject; name?: string },
  options: { kind: 'CreateOptions' | 'UpdateOptions' | 'DeleteOptions'; dryRun: boolean; extra?: JsonObject },
): AdmissionAttributes {
  const r = call.resource;
  const opts: JsonObject = { kind: options.kind, apiVersion: 'meta.k8s.io/v1', ...(options.extra ?? {}) };
  if (options.dryRun) opts.dryRun = ['All'];
  const fieldManager = call.url.searchParams.get('fieldManager');
  if (fieldManager !== null && options.kind !== 'DeleteOptions') opts.fieldManager = fieldManager;
  return {
    operation,
    kind: { group: r.group, version: r.version, kind: r.kind },
    resource: { group: r.group, version: r.version, resource: r.resource },
    subResource: call.info.subresource,
    namespaced: r.namespaced,
    namespace: namespaceOf(call, objects),
    name: objects.name ?? call.info.name ?? objects.object?.metadata.name ?? '',
    object: objects.object,
    oldObject: objects.oldObject,
    userInfo: call.user,
    dryRun: options.dryRun,
    options: opts,
  };
}

/** As kube-apiserver: a namespaced object's namespace; for a Namespace, its own name. */
function namespaceOf(call: Call, objects: { object?: KubeObject; oldObject?: KubeObject; name?: string }): string {
  const r = call.resource;
  if (r.group === '' && r.resource === 'namespaces') return objects.name ?? call.info.name ?? objects.object?.metadata.name ?? objects.oldObject?.metadata.name ?? '';
  return r.namespaced ? call.info.namespace || (objects.object?.metadata.namespace ?? 'default') : '';
}
