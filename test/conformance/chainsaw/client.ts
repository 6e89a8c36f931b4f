// What the runner needs from a cluster. The real implementation drives kubectl (so the runner
// works against any cluster a KUBECONFIG names); tests use the in-memory fake.
import type { JsonObject } from '../../../src/api/json.js';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** Equality label selector, used when listing. */
  labels?: Record<string, string>;
}

export type ClusterErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'UnknownKind' | 'Other';

export class ClusterError extends Error {
  constructor(
    readonly reason: ClusterErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ClusterError && (e.reason === 'NotFound' || e.reason === 'UnknownKind');
}

export interface ClusterClient {
  /** Throws ClusterError 'UnknownKind' when the cluster does not serve the kind. */
  isNamespaced(apiVersion: string, kind: string): Promise<boolean>;
  /** Null when absent (or the kind is not served). */
  get(ref: ObjectRef & { name: string }): Promise<JsonObject | null>;
  /** Objects of the kind (in ref.namespace when given) carrying all of ref.labels. */
  list(ref: ObjectRef): Promise<JsonObject[]>;
  create(obj: JsonObject): Promise<JsonObject>;
  /** RFC 7386 merge patch. */
  mergePatch(ref: ObjectRef & { name: string }, patch: JsonObject): Promise<JsonObject>;
  /** PUT; obj carries the resourceVersion it was read at. */
  replace(obj: JsonObject): Promise<JsonObject>;
  /** False when there was nothing to delete. */
  delete(ref: ObjectRef & { name: string }): Promise<boolean>;
}

export function refOf(obj: JsonObject): ObjectRef & { name: string } {
  const meta = obj['metadata'];
  const m = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta : {};
  const ref: ObjectRef & { name: string } = {
    apiVersion: typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '',
    kind: typeof obj['kind'] === 'string' ? obj['kind'] : '',
    name: typeof m['name'] === 'string' ? m['name'] : '',
  };
  if (typeof m['namespace'] === 'string' && m['namespace'] !== '') ref.namespace = m['namespace'];
  return ref;
}

export function describeRef(ref: ObjectRef): string {
  const where = ref.namespace === undefined ? '' : `${ref.namespace}/`;
  return `${ref.apiVersion}/${ref.kind} ${where}${ref.name ?? '*'}`;
}
