// Turns a request path and method into what the API server acts on, the way apiserver's
// RequestInfoFactory does: API prefix, group/version, namespace, resource, name, subresource, verb.

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  /** Empty for cluster-scoped requests and lists across all namespaces. */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: Verb;
}

/** Anything that is not a resource request (discovery, openapi, health) is routed by path. */
export interface NonResourceRequest {
  kind: 'nonresource';
  path: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function verbOf(method: string, hasName: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

/** undefined: a resource path with a method the server never accepts (405). */
export function parseRequest(method: string, url: URL): ResourceRequest | NonResourceRequest | undefined {
  const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return { kind: 'nonresource', path: url.pathname };
  }
  let watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  if (rest[0] === 'watch') {
    // The deprecated /watch/ path prefix.
    watch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] ?? '';
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  const [resource = '', name = '', subresource = ''] = rest;
  if (rest.length > 3) return { kind: 'nonresource', path: url.pathname };
  // GET /api/v1/namespaces/x names the namespace x, not a list in it.
  if (resource === 'namespaces' && rest.length <= 3 && namespace !== '' && name === namespace) namespace = '';
  const verb = verbOf(method, name !== '', watch);
  if (verb === undefined) return undefined;
  return { kind: 'resource', group, version, namespace, resource, name, subresource, verb };
}
