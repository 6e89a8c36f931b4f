// Anchors in patchStrategicMerge, resolved against the resource before the merge (Kyverno's
// strategicPreprocessing): `+(key)` is kept only when the resource lacks the key; `(key)` and
// `<(key)` are conditions (a failed global condition voids the whole patch, a failed conditional one
// voids the map, or skips the list item); list items with conditions are re-targeted at each
// matching resource item by its `name`. Anchors are then removed from the patch.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { cloneJson } from '../patch/json-util.js';
import type { Anchor } from '../validate/anchor.js';
import { parseAnchor } from '../validate/anchor.js';
import { matchPattern } from '../validate/pattern.js';

export class AnchorConditionError extends Error {
  constructor(
    message: string,
    readonly global: boolean,
  ) {
    super(global ? `global condition failed: ${message}` : `condition failed: ${message}`);
  }
}

const containsCondition = (a: Anchor | undefined): boolean =>
  a !== undefined && (a.kind === 'condition' || a.kind === 'global');
const hasAnchor = (a: Anchor | undefined): boolean => containsCondition(a) || a?.kind === 'addIfNotPresent';
const isGlobal = (a: Anchor | undefined): boolean => a?.kind === 'global';

/**
 * Returns the patch to merge. Throws AnchorConditionError when a condition rules the patch out
 * (the caller then applies nothing).
 */
export function preprocessPatch(pattern: JsonValue, resource: JsonValue): JsonValue {
  const patch = cloneJson(pattern);
  walk(patch, resource);
  if (isJsonObject(patch)) deleteConditionElements(patch);
  return patch;
}

function walk(pattern: JsonValue, resource: JsonValue | undefined): void {
  if (isJsonObject(pattern)) walkMap(pattern, resource);
  else if (Array.isArray(pattern) && pattern.length > 0 && isJsonObject(pattern[0]))
    walkListOfMaps(pattern, resource);
}

function walkMap(pattern: JsonObject, resource: JsonValue | undefined): void {
  addIfNotPresent(pattern, resource);
  validateConditions(pattern, resource);
  for (const key of Object.keys(pattern)) {
    if (hasAnchor(parseAnchor(key))) continue;
    walk(pattern[key] ?? null, isJsonObject(resource) ? resource[key] : undefined);
  }
}

function addIfNotPresent(pattern: JsonValue, resource: JsonValue | undefined): number {
  if (!isJsonObject(pattern)) return 0;
  let count = 0;
  for (const raw of Object.keys(pattern)) {
    const a = parseAnchor(raw);
    if (a?.kind !== 'addIfNotPresent') continue;
    count++;
    const value = pattern[raw] ?? null;
    delete pattern[raw];
    if (!(isJsonObject(resource) && Object.hasOwn(resource, a.key))) pattern[a.key] = value;
  }
  return count;
}

function asConditionValue(v: JsonValue): JsonValue {
  // Scalars are compared as their YAML text, as Kyverno reads them from YAML nodes.
  if (v === null) return 'null';
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

function validateConditions(pattern: JsonObject, resource: JsonValue | undefined): void {
  for (const global of [true, false]) {
    for (const raw of Object.keys(pattern)) {
      const a = parseAnchor(raw);
      if (a === undefined || (global ? a.kind !== 'global' : a.kind !== 'condition')) continue;
      if (!isJsonObject(resource) || !Object.hasOwn(resource, a.key)) {
        throw new AnchorConditionError(`could not found "${a.key}" key in the resource`, global);
      }
      const patternValue = pattern[raw] ?? null;
      const resourceValue = resource[a.key] ?? null;
      if (addIfNotPresent(patternValue, resourceValue) > 0) continue;
      const miss = matchPattern(asConditionValue(resourceValue), asConditionValue(patternValue));
      if (miss !== undefined) throw new AnchorConditionError(miss.message, global);
    }
  }
}

function anchorsIn(node: JsonValue, test: (a: Anchor | undefined) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => anchorsIn(n, test));
  if (isJsonObject(node)) {
    return Object.entries(node).some(([k, v]) => test(parseAnchor(k)) || anchorsIn(v, test));
  }
  return typeof node === 'string' && containsCondition(parseAnchor(node));
}

function walkListOfMaps(pattern: JsonValue[], resource: JsonValue | undefined): void {
  const resourceItems = Array.isArray(resource) ? resource : [];
  for (const item of [...pattern]) {
    if (!anchorsIn(item, hasAnchor)) continue;
    const hasGlobal = anchorsIn(item, isGlobal);
    let anyGlobalPassed = false;
    let lastGlobal: AnchorConditionError | undefined;
    // One working copy for all resource items: `+()` resolved for one item stays resolved.
    const working = cloneJson(item);
    let skipItem = false;
    for (const r of resourceItems) {
      try {
        walk(working, r);
      } catch (e) {
        if (e instanceof AnchorConditionError) {
          if (e.global) lastGlobal = e;
          continue;
        }
        throw e;
      }
      if (hasGlobal) anyGlobalPassed = true;
      else retargetByName(pattern, working, r);
    }
    if (resource === undefined || resource === null) {
      try {
        walk(working, undefined);
        if (hasGlobal) anyGlobalPassed = true;
      } catch (e) {
        if (!(e instanceof AnchorConditionError) || e.global) throw e;
        skipItem = true;
      }
    }
    if (!skipItem && !anyGlobalPassed && lastGlobal !== undefined) throw lastGlobal;
  }
}

/** A copy of the matched pattern item, without anchors, that names the resource item it patches. */
function retargetByName(list: JsonValue[], item: JsonValue, resourceItem: JsonValue): void {
  const name = isJsonObject(resourceItem) ? resourceItem['name'] : undefined;
  if (name === undefined || name === null || name === '') return;
  const copy = cloneJson(item);
  if (deleteAnchors(copy, true) || !isJsonObject(copy)) return;
  copy['name'] = name;
  list.push(copy);
}

function deleteConditionElements(patch: JsonObject): void {
  for (const key of Object.keys(patch)) {
    if (deleteAnchors(patch[key] ?? null, containsCondition(parseAnchor(key)))) delete patch[key];
  }
}

/** Removes anchors below `node`; true when nothing but anchors was there (drop the node). */
function deleteAnchors(node: JsonValue, deleteScalar: boolean): boolean {
  if (isJsonObject(node)) return deleteAnchorsInMap(node);
  if (Array.isArray(node)) return deleteAnchorsInList(node);
  return deleteScalar;
}

function deleteAnchorsInMap(node: JsonObject): boolean {
  let anchorsKept = false;
  for (const raw of Object.keys(node)) {
    if (!containsCondition(parseAnchor(raw))) continue;
    if (deleteAnchors(node[raw] ?? null, true)) delete node[raw];
    else anchorsKept = true;
  }
  if (anchorsKept) {
    for (const raw of Object.keys(node)) {
      const a = parseAnchor(raw);
      if (!containsCondition(a) || a === undefined) continue;
      node[a.key] = node[raw] ?? null;
      delete node[raw];
    }
  }
  let empty = true;
  for (const key of Object.keys(node)) {
    if (deleteAnchors(node[key] ?? null, false)) delete node[key];
    else empty = false;
  }
  return empty;
}

function deleteAnchorsInList(node: JsonValue[]): boolean {
  const wasEmpty = node.length === 0;
  const kept = node.filter((item) => !(anchorsIn(item, hasAnchor) || deleteAnchors(item, false)));
  node.splice(0, node.length, ...kept);
  return node.length === 0 && !wasEmpty;
}
