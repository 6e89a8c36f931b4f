// REST paths from discovery's REST mapping: never from pluralising a kind.
import type { ResourceInfo } from '../client.js';

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The namespace an object of this resource lives in ("" for cluster-scoped kinds). */
export function namespaceFor(info: ResourceInfo, namespace: string | undefined): string {
  if (!info.namespaced) return '';
  return namespace === undefined || namespace === '' ? 'default' : namespace;
}

export function resourcePath(info: ResourceInfo, parts: PathParts = {}): string {
  const segments = [info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`];
  if (info.namespaced && parts.namespace !== undefined && parts.namespace !== '') {
    segments.push('namespaces', encodeURIComponent(parts.namespace));
  }
  segments.push(info.resource);
  if (parts.name !== undefined) segments.push(encodeURIComponent(parts.name));
  if (parts.subresource !== undefined) segments.push(parts.subresource);
  return segments.join('/');
}

/** Appends the query; undefined and false values are left out. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === false || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
