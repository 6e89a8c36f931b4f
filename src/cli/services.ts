// What the offline commands run on: the real clock and randomness, a fresh in-memory cluster per
// evaluation, the built-in scope table and the policy loader.
import type { JsonValue } from '../api/json.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import type { ApiCallRequest, EvalEnv } from '../engine/env.js';
import { LookupUnavailableError } from '../engine/env.js';
import { builtinScopeOf } from '../policy/builtin-scopes.js';
import { loadPoliciesForCli } from './policies.js';
import type { TestDeps } from './test/run-test.js';

/** Offline, context entries that need a cluster are skipped (their variables stay undefined), as in Kyverno's CLI. */
export function offlineEnv(): EvalEnv {
  return {
    now: () => Date.now(),
    random: () => Math.random(),
    lookup: {
      configMap: () => Promise.reject(new LookupUnavailableError('configMap context')),
      apiCall: (r: ApiCallRequest): Promise<JsonValue> =>
        Promise.reject(new LookupUnavailableError(`apiCall ${r.urlPath ?? r.url ?? ''}`)),
      globalReference: () => Promise.reject(new LookupUnavailableError('globalReference context')),
    },
  };
}

export function offlineServices(): TestDeps {
  return {
    env: offlineEnv(),
    newCluster: () => new MemoryCluster({ namespaces: [] }),
    scopeOf: builtinScopeOf,
    loadPolicies: loadPoliciesForCli,
  };
}
