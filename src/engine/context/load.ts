// Loads a rule's (or foreach entry's) `context` entries into the EvalContext, in order,
// so later entries can use earlier ones. Lookups that touch the cluster go through EvalEnv.lookup.
import type { JsonValue } from '../../api/json.js';
import type { ContextEntry } from '../../api/policy.js';
import type { EvalEnv } from '../env.js';
import { LookupUnavailableError } from '../env.js';
import type { EvalContext } from '../variables/context.js';
import { stringify, substituteAll } from '../variables/substitute.js';

export class ContextLoadError extends Error {
  constructor(
    readonly entry: string,
    message: string,
  ) {
    super(`failed to load context entry ${entry}: ${message}`);
    this.name = 'ContextLoadError';
  }
}

export interface LoadOptions {
  operation?: string;
  /** Names already provided (CLI values); such entries are not fetched from the cluster. */
  provided?: ReadonlySet<string>;
}

export async function loadContext(
  entries: readonly ContextEntry[] | undefined,
  ctx: EvalContext,
  env: EvalEnv,
  options: LoadOptions = {},
): Promise<void> {
  for (const entry of entries ?? []) {
    try {
      const value = await loadEntry(entry, ctx, env, options);
      if (value !== undefined) ctx.set(entry.name, value);
    } catch (e) {
      if (e instanceof LookupUnavailableError) continue;
      if (e instanceof ContextLoadError) throw e;
      throw new ContextLoadError(entry.name, e instanceof Error ? e.message : String(e));
    }
  }
}

async function loadEntry(
  entry: ContextEntry,
  ctx: EvalContext,
  env: EvalEnv,
  o: LoadOptions,
): Promise<JsonValue | undefined> {
  const sub = (v: JsonValue): JsonValue =>
    substituteAll(v, ctx, { operation: o.operation, path: `/context/${entry.name}` });
  if (entry.variable) return loadVariable(entry, ctx, sub);
  if (o.provided?.has(entry.name)) return undefined;
  if (entry.configMap) {
    const name = stringify(sub(entry.configMap.name));
    const namespace = stringify(sub(entry.configMap.namespace ?? 'default'));
    const cm = await env.lookup.configMap(namespace, name);
    if (cm === undefined)
      throw new ContextLoadError(entry.name, `configmaps "${name}" not found in namespace ${namespace}`);
    return {
      data: (cm['data'] as JsonValue | undefined) ?? {},
      metadata: cm.metadata as unknown as JsonValue,
    };
  }
  if (entry.apiCall) {
    const call = sub(entry.apiCall) as unknown as NonNullable<ContextEntry['apiCall']>;
    let result: JsonValue;
    try {
      const data =
        call.data === undefined
          ? undefined
          : Object.fromEntries(call.data.map((d) => [d.key, d.value] as const));
      result = await env.lookup.apiCall({
        urlPath: call.urlPath,
        url: call.service?.url,
        method: call.method ?? 'GET',
        data,
        headers: call.service?.headers
          ? Object.fromEntries(call.service.headers.map((h) => [h.key, h.value]))
          : undefined,
        caBundle: call.service?.caBundle,
      });
      if (call.jmesPath) result = ctx.queryOn(call.jmesPath, result);
    } catch (e) {
      if (e instanceof LookupUnavailableError) throw e;
      if (entry.apiCall.default !== undefined) return sub(entry.apiCall.default);
      throw e;
    }
    return result;
  }
  if (entry.globalReference) {
    const value = await env.lookup.globalReference(entry.globalReference.name);
    if (value === undefined)
      throw new ContextLoadError(entry.name, `global context entry ${entry.globalReference.name} not found`);
    const path = entry.globalReference.jmesPath;
    return path ? ctx.queryOn(stringify(sub(path)), value) : value;
  }
  if (entry.imageRegistry) throw new LookupUnavailableError('imageRegistry context');
  throw new ContextLoadError(entry.name, 'no source (variable, configMap, apiCall, globalReference) given');
}

function loadVariable(entry: ContextEntry, ctx: EvalContext, sub: (v: JsonValue) => JsonValue): JsonValue {
  const v = entry.variable ?? {};
  let result: JsonValue = null;
  try {
    const path = v.jmesPath === undefined ? undefined : stringify(sub(v.jmesPath));
    if (v.value !== undefined) {
      const value = sub(v.value);
      result = path ? ctx.queryOn(path, value) : value;
    } else if (path) {
      result = ctx.query(path);
    }
  } catch (e) {
    if (v.default === undefined) throw e;
    result = null;
  }
  if (result === null && v.default !== undefined) result = sub(v.default);
  if (result === null) throw new ContextLoadError(entry.name, `variable ${entry.name} evaluated to nil`);
  return result;
}
