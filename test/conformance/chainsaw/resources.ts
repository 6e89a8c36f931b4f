// Turning an operation's `file:`/`resource:` into concrete objects: read, template, namespace.
import { resolve } from 'node:path';
import type { JsonObject, JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import { parseYamlDocuments } from '../../../src/policy/yaml.js';
import type { Bindings } from './bindings.js';
import { templateValue } from './bindings.js';
import { isNotFound } from './client.js';
import type { RunContext } from './context.js';
import { metadataOf } from './context.js';
import { evaluate, parseExpression } from './expression.js';
import type { ResourceSource } from './model.js';

/** The documents an operation works on; a file path may itself be an expression such as ($file). */
export function loadDocuments(source: ResourceSource, bindings: Bindings, ctx: RunContext): JsonObject[] {
  if ('resource' in source) return [source.resource];
  const statement = parseExpression(source.file);
  const file = statement === null ? source.file : evaluate(statement, null, bindings);
  if (typeof file !== 'string') throw new Error(`file expression ${source.file} did not give a string`);
  const path = resolve(ctx.test.dir, file);
  return parseYamlDocuments(ctx.readText(path), path)
    .map((d) => d.value)
    .filter(isJsonObject);
}

/** apply/create/update/patch/delete: every "(expr)" leaf is evaluated. */
export function templateWhole(obj: JsonObject, bindings: Bindings): JsonObject {
  const out = templateValue(obj, bindings);
  return isJsonObject(out) ? out : obj;
}

/** assert/error: only what finds the objects (apiVersion, kind, name, namespace, labels) is templated; the rest stays an assertion tree. */
export function templateLookup(obj: JsonObject, bindings: Bindings): JsonObject {
  const out: JsonObject = { ...obj };
  for (const k of ['apiVersion', 'kind']) if (obj[k] !== undefined) out[k] = templateValue(obj[k] ?? null, bindings);
  const meta = metadataOf(obj);
  if (obj['metadata'] !== undefined) {
    const m: JsonObject = { ...meta };
    for (const k of ['name', 'namespace', 'labels']) if (meta[k] !== undefined) m[k] = templateValue(meta[k] ?? null, bindings);
    out['metadata'] = m;
  }
  return out;
}

/** Puts objects of namespaced kinds that name no namespace into the test's namespace. */
export async function applyNamespace(obj: JsonObject, ctx: RunContext): Promise<JsonObject> {
  const meta = metadataOf(obj);
  if (typeof meta['namespace'] === 'string' && meta['namespace'] !== '') return obj;
  const apiVersion = obj['apiVersion'];
  const kind = obj['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return obj;
  try {
    if (!(await ctx.client.isNamespaced(apiVersion, kind))) return obj;
  } catch (e) {
    // The kind may not be served yet (its CRD is still coming); the caller's next poll retries.
    if (isNotFound(e)) return obj;
    throw e;
  }
  return { ...obj, metadata: { ...meta, namespace: ctx.namespace } };
}

/** A plain (non-expression) string, or undefined. */
export function plainString(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string' || parseExpression(v) !== null) return undefined;
  return v;
}

/** Label equality selector from an assertion's metadata.labels (expression-valued labels are checked, not selected). */
export function plainLabels(obj: JsonObject): Record<string, string> | undefined {
  const labels = metadataOf(obj)['labels'];
  if (!isJsonObject(labels)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const s = plainString(v);
    if (s !== undefined && parseExpression(k) === null) out[k] = s;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
