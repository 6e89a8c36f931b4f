// Matching a resource against a validate `pattern` (Kyverno's validate.MatchPattern): anchors first
// (sorted by key), then plain keys; lists of maps apply the first pattern item to every element.
// Conditional and global anchor mismatches make the result a skip, a negation anchor a fail; an
// error where an anchored key was missing from the resource carries no path (reported as error).
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { goJsonString } from '../jmespath/index.js';
import type { Anchor } from './anchor.js';
import type { MapNode, PatternNode } from './compiled-pattern.js';
import { compileMap, compilePattern } from './compiled-pattern.js';
import { expandMetadataWildcards } from './metadata-wildcards.js';

type AnchorErrorKind = 'condition' | 'global' | 'negation';

class MismatchError extends Error {
  constructor(
    message: string,
    readonly anchor?: AnchorErrorKind,
  ) {
    super(message);
  }
}

export interface PatternMismatch {
  message: string;
  /** Where it failed ("/spec/containers/0/image/"); '' when the rule errors rather than fails. */
  path: string;
  /** A conditional or global anchor did not hold: the rule does not apply. */
  skip: boolean;
}

/** Tracks whether the anchored keys the pattern names exist in the resource. */
class AnchorPresence {
  private readonly seen = new Map<string, boolean>();

  record(tracked: readonly Anchor[], resource: JsonObject): void {
    for (const a of tracked) {
      if (this.seen.get(a.raw) === true) continue;
      this.seen.set(a.raw, Object.hasOwn(resource, a.key));
    }
  }

  someMissing(): boolean {
    for (const v of this.seen.values()) if (!v) return true;
    return false;
  }
}

interface Failure {
  path: string;
  error: MismatchError;
}

type Result = Failure | undefined;

/** undefined when the resource matches. */
export function matchPattern(resource: JsonValue, pattern: JsonValue): PatternMismatch | undefined {
  return matchCompiledPattern(resource, compilePattern(pattern));
}

/** matchPattern() for a pattern compiled ahead of time (compilePattern). */
export function matchCompiledPattern(resource: JsonValue, pattern: PatternNode): PatternMismatch | undefined {
  const presence = new AnchorPresence();
  const failure = element(resource, pattern, '/', presence);
  if (failure === undefined) return undefined;
  const { error } = failure;
  if (isSkip(error)) return { message: error.message, path: '', skip: true };
  if (error.anchor === 'negation') return { message: error.message, path: failure.path, skip: false };
  if (presence.someMissing()) return { message: error.message, path: '', skip: false };
  return { message: error.message, path: failure.path, skip: false };
}

function isSkip(e: MismatchError): boolean {
  return e.anchor === 'condition' || e.anchor === 'global';
}

function fail(path: string, message: string, anchor?: AnchorErrorKind): Failure {
  return { path, error: new MismatchError(message, anchor) };
}

function show(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  return typeof v === 'string' ? v : goJsonString(v);
}

function element(
  resource: JsonValue | undefined,
  pattern: PatternNode,
  path: string,
  p: AnchorPresence,
): Result {
  if (pattern.kind === 'map') {
    if (!isJsonObject(resource)) {
      return fail(path, `pattern and resource have different structures. Path: ${path}`);
    }
    p.record(pattern.tracked, resource);
    return map(resource, pattern, path, p);
  }
  if (pattern.kind === 'array') {
    if (!Array.isArray(resource)) {
      return fail(
        path,
        `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`,
      );
    }
    return array(resource, pattern.items, path, p);
  }
  if (Array.isArray(resource)) {
    for (const item of resource) {
      if (!pattern.matches(item))
        return fail(
          path,
          `resource value '${show(resource)}' does not match '${show(pattern.source)}' at path ${path}`,
        );
    }
    return undefined;
  }
  if (!pattern.matches(resource))
    return fail(
      path,
      `resource value '${show(resource)}' does not match '${show(pattern.source)}' at path ${path}`,
    );
  return undefined;
}

function map(resource: JsonObject, compiled: MapNode, path: string, p: AnchorPresence): Result {
  const pattern = compiled.expandsMetadata ? expanded(compiled, resource) : compiled;
  for (const { anchor, node } of pattern.anchors) {
    const r = anchored(anchor, node, resource, path, p);
    if (r !== undefined) return r;
  }
  for (const { key, node, star } of pattern.plain) {
    if (star) {
      if (resource[key] === undefined || resource[key] === null)
        return fail(path, `${path}/${key} not found`);
      continue;
    }
    const r = element(resource[key], node, `${path}${key}/`, p);
    if (r !== undefined) return r;
  }
  return undefined;
}

// Wildcard metadata keys stand for the resource's keys: the expanded map is compiled per resource.
function expanded(compiled: MapNode, resource: JsonObject): MapNode {
  const raw = expandMetadataWildcards(compiled.source, resource);
  return raw === compiled.source ? compiled : compileMap(raw);
}

function anchored(
  a: Anchor,
  pattern: PatternNode,
  resource: JsonObject,
  path: string,
  p: AnchorPresence,
): Result {
  const current = `${path}${a.key}/`;
  const present = Object.hasOwn(resource, a.key);
  const value = resource[a.key];
  switch (a.kind) {
    case 'negation':
      return present
        ? fail(current, `negation anchor matched in resource: ${current} is not allowed`, 'negation')
        : undefined;
    case 'equality':
      return present ? element(value, pattern, current, p) : undefined;
    case 'condition': {
      if (!present)
        return fail(
          current,
          "conditional anchor mismatch: conditional anchor key doesn't exist in the resource",
          'condition',
        );
      const r = element(value, pattern, current, p);
      return r === undefined
        ? undefined
        : fail(r.path, `conditional anchor mismatch: ${r.error.message}`, 'condition');
    }
    case 'global': {
      if (!present) return undefined;
      const r = element(value, pattern, current, p);
      return r === undefined
        ? undefined
        : fail(r.path, `global anchor mismatch: ${r.error.message}`, 'global');
    }
    case 'existence':
      return present ? existence(value ?? null, pattern, current, p) : undefined;
    default:
      return undefined;
  }
}

function existence(value: JsonValue, pattern: PatternNode, path: string, p: AnchorPresence): Result {
  if (!Array.isArray(value))
    return fail(
      path,
      'invalid resource type: Existence ^ () anchor can be used only on list/array type resource',
    );
  if (pattern.kind !== 'array')
    return fail(path, 'invalid pattern type: Pattern has to be of list to compare against resource');
  for (const item of pattern.items) {
    if (item.kind !== 'map')
      return fail(
        path,
        'invalid pattern type: Pattern has to be of type map to compare against items in resource',
      );
    const found = value.some((r, i) => element(r, item, `${path}${i}/`, p) === undefined);
    if (!found) return fail(path, `existence anchor validation failed at path ${path}`);
  }
  return undefined;
}

function array(
  resource: JsonValue[],
  pattern: readonly PatternNode[],
  path: string,
  p: AnchorPresence,
): Result {
  const first = pattern[0];
  if (first === undefined) return fail(path, 'pattern Array empty');
  if (first.kind === 'map') return arrayOfMaps(resource, first, path, p);
  if (first.kind !== 'array') return element(resource, first, path, p);
  if (resource.length < pattern.length) {
    return fail(
      '',
      `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
    );
  }
  const skips: MismatchError[] = [];
  let applied = 0;
  for (const [i, item] of pattern.entries()) {
    const r = element(resource[i], item, `${path}${i}/`, p);
    if (r === undefined) applied++;
    else if (isSkip(r.error)) skips.push(r.error);
    else return r;
  }
  return applied === 0 && skips.length > 0 ? combinedSkip(path, skips) : undefined;
}

function arrayOfMaps(resource: JsonValue[], pattern: MapNode, path: string, p: AnchorPresence): Result {
  const skips: MismatchError[] = [];
  let applied = 0;
  for (const [i, item] of resource.entries()) {
    const r = element(item, pattern, `${path}${i}/`, p);
    if (r === undefined) applied++;
    else if (isSkip(r.error)) skips.push(r.error);
    else return r;
  }
  return applied === 0 && skips.length > 0 ? combinedSkip(path, skips) : undefined;
}

function combinedSkip(path: string, skips: MismatchError[]): Failure {
  const kind = skips[0]?.anchor === 'global' ? 'global' : 'condition';
  return fail(path, skips.map((e) => e.message).join('; '), kind);
}
