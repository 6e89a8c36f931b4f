// Everything the pure engine needs from the world comes in through EvalEnv.
import type { JsonValue } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';

export interface ApiCallRequest {
  /** A Kubernetes API path (as `kubectl get --raw` takes), or a service URL. */
  urlPath?: string;
  url?: string;
  method: 'GET' | 'POST';
  data?: JsonValue;
  headers?: Record<string, string>;
  caBundle?: string;
}

/** Reads the engine may need while loading rule context. Implementations do I/O; the engine never does. */
export interface ContextLookup {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  apiCall(request: ApiCallRequest): Promise<JsonValue>;
  globalReference(name: string): Promise<JsonValue | undefined>;
}

export interface EvalEnv {
  /** Milliseconds since the epoch; time_now() and friends read this. */
  now(): number;
  /** A number in [0, 1); the random() JMESPath function draws from it. */
  random(): number;
  lookup: ContextLookup;
}

/**
 * Thrown by a lookup that cannot serve a kind of entry at all (the offline CLI without mocks):
 * the entry is skipped and any variable that needs it stays undefined, as in Kyverno's CLI.
 */
export class LookupUnavailableError extends Error {
  constructor(what: string) {
    super(`${what} is not available here`);
    this.name = 'LookupUnavailableError';
  }
}

/** A lookup that knows nothing: context entries that need the cluster fail as "not found". */
export const emptyLookup: ContextLookup = {
  configMap: () => Promise.resolve(undefined),
  apiCall: (req) =>
    Promise.reject(new Error(`apiCall ${req.urlPath ?? req.url ?? ''}: no cluster available`)),
  globalReference: () => Promise.resolve(undefined),
};
