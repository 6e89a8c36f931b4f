// From a request's reference to the served resource and the stored object it names. Shared by every
// verb of MemoryCluster and by the write paths.
import type { KubeObject } from '../../api/kube.js';
import { parseApiVersion } from '../../api/kube.js';
import type { ResourceRef } from '../client.js';
import { notFound, resourceNotFound } from '../errors.js';
import type { ServedResource } from './builtin-resources.js';
import type { Core } from './core.js';

/** The group/resource pair the API errors name. */
export const gr = (res: ServedResource): { group: string; resource: string } => ({
  group: res.group,
  resource: res.resource,
});

/** The resource `ref` names at its version; 404 (resource not found) when it is not served. */
export function resolveServed(core: Core, ref: ResourceRef): ServedResource {
  const { group, version } = parseApiVersion(ref.apiVersion);
  const res = core.discovery.byGvk(group, version, ref.kind);
  if (res === undefined) throw resourceNotFound();
  return res;
}

/** A namespaced request without a namespace means "default"; cluster-scoped objects have none. */
export function namespaceFor(res: ServedResource, ns: string | undefined): string {
  return res.namespaced ? (ns === undefined || ns === '' ? 'default' : ns) : '';
}

/** The stored object `ref` names (not a copy); 404 when there is none. */
export function currentObject(core: Core, res: ServedResource, ref: { namespace?: string; name: string }): KubeObject {
  const obj = core.get(res, namespaceFor(res, ref.namespace), ref.name);
  if (obj === undefined) throw notFound(gr(res), ref.name);
  return obj;
}

/** Where an object sent in a request body says it lives. */
export function refOf(obj: KubeObject): { name: string; namespace?: string } {
  return { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace };
}
