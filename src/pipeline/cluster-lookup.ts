// Context entries (configMap, apiCall) served from a cluster through the port. apiCall urlPaths are
// Kubernetes API paths: they are mapped onto get/list through discovery, so no raw HTTP is needed.
import type { JsonValue } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient } from '../cluster/client.js';
import { NotFoundError } from '../cluster/errors.js';
import type { ApiCallRequest, ContextLookup } from '../engine/env.js';

export function clusterLookup(cluster: ClusterClient): ContextLookup {
  return {
    async configMap(namespace: string, name: string): Promise<KubeObject | undefined> {
      try {
        return await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    },
    apiCall: (req: ApiCallRequest) => apiCall(cluster, req),
    globalReference: () => Promise.resolve(undefined),
  };
}

async function apiCall(cluster: ClusterClient, req: ApiCallRequest): Promise<JsonValue> {
  if (!req.urlPath) throw new Error('service calls are not supported by this lookup');
  if (req.method !== 'GET') throw new Error(`apiCall ${req.urlPath}: only GET is supported for API paths`);
  const [path, query = ''] = req.urlPath.split('?', 2) as [string, string | undefined];
  const parts = path.split('/').filter((p) => p !== '');
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else throw new Error(`apiCall ${req.urlPath}: not a Kubernetes API path`);
  const version = parts[0] === 'api' ? (parts[1] ?? 'v1') : (parts[2] ?? '');
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name] = rest;
  if (!resource) throw new Error(`apiCall ${req.urlPath}: no resource in path`);
  const info = await cluster.resolveResource(group, version, resource);
  if (!info) throw new Error(`apiCall ${req.urlPath}: the server could not find the requested resource`);
  const apiVersion = group ? `${group}/${version}` : version;
  if (name) return (await cluster.get({ apiVersion, kind: info.kind, namespace, name })) as unknown as JsonValue;
  const params = new URLSearchParams(query);
  const list = await cluster.list(
    { apiVersion, kind: info.kind },
    { namespace, labelSelector: params.get('labelSelector') ?? undefined, fieldSelector: params.get('fieldSelector') ?? undefined },
  );
  return {
    apiVersion,
    kind: info.listKind || `${info.kind}List`,
    metadata: { resourceVersion: list.resourceVersion },
    items: list.items as unknown as JsonValue[],
  };
}
