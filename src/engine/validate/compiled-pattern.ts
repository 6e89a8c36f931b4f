// A validate pattern parsed once: every map's anchors parsed and sorted, its plain keys ordered (keys
// whose values hold anchors first), its leaves turned into checks. Matching a compiled pattern does
// exactly what matching the raw pattern did, without re-reading keys on every request.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { hasWildcard } from '../wildcard.js';
import type { Anchor } from './anchor.js';
import { parseAnchor } from './anchor.js';
import { compileValuePattern } from './value-pattern.js';

export type PatternNode = MapNode | ArrayNode | LeafNode;

export interface MapNode {
  readonly kind: 'map';
  readonly source: JsonObject;
  /** Conditional, existence and negation anchors: whether their keys exist is tracked per match. */
  readonly tracked: readonly Anchor[];
  /** Anchors that check something (all but add-if-not-present), sorted by their text. */
  readonly anchors: readonly { readonly anchor: Anchor; readonly node: PatternNode }[];
  /** The other keys, those holding anchors below first. */
  readonly plain: readonly { readonly key: string; readonly node: PatternNode; readonly star: boolean }[];
  /** metadata.labels / annotations keys with wildcards: they expand against each resource. */
  readonly expandsMetadata: boolean;
}

export interface ArrayNode {
  readonly kind: 'array';
  readonly items: readonly PatternNode[];
}

export interface LeafNode {
  readonly kind: 'leaf';
  readonly source: JsonValue;
  readonly matches: (value: JsonValue | undefined) => boolean;
}

const TRACKED = new Set(['condition', 'existence', 'negation']);

export function compilePattern(pattern: JsonValue): PatternNode {
  if (isJsonObject(pattern)) return compileMap(pattern);
  if (Array.isArray(pattern)) return { kind: 'array', items: pattern.map(compilePattern) };
  return { kind: 'leaf', source: pattern, matches: compileValuePattern(pattern) };
}

export function compileMap(pattern: JsonObject): MapNode {
  const tracked: Anchor[] = [];
  const anchors: { anchor: Anchor; node: PatternNode }[] = [];
  const withNested: { key: string; node: PatternNode; star: boolean }[] = [];
  const rest: { key: string; node: PatternNode; star: boolean }[] = [];
  for (const key of Object.keys(pattern)) {
    const value = pattern[key] ?? null;
    const a = parseAnchor(key);
    if (a !== undefined && TRACKED.has(a.kind)) tracked.push(a);
    if (a !== undefined && a.kind !== 'addIfNotPresent') {
      anchors.push({ anchor: a, node: compilePattern(value) });
      continue;
    }
    const entry = { key, node: compilePattern(value), star: value === '*' };
    (hasNestedAnchor(value) ? withNested : rest).push(entry);
  }
  anchors.sort((x, y) => (x.anchor.raw < y.anchor.raw ? -1 : x.anchor.raw > y.anchor.raw ? 1 : 0));
  return {
    kind: 'map',
    source: pattern,
    tracked,
    anchors,
    plain: [...withNested, ...rest],
    expandsMetadata: hasWildcardMetadata(pattern),
  };
}

function hasNestedAnchor(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.some(hasNestedAnchor);
  if (!isJsonObject(v)) return false;
  return Object.entries(v).some(([k, item]) => parseAnchor(k) !== undefined || hasNestedAnchor(item));
}

function entryNamed(tag: string, obj: JsonObject): JsonValue | undefined {
  for (const [k, v] of Object.entries(obj)) if ((parseAnchor(k)?.key ?? k) === tag) return v;
  return undefined;
}

/**
 * Would expandMetadataWildcards() change this map for some resource? Only a wildcard key in
 * metadata.labels or metadata.annotations (a string map) is ever rewritten.
 */
function hasWildcardMetadata(pattern: JsonObject): boolean {
  const metadata = entryNamed('metadata', pattern);
  if (!isJsonObject(metadata)) return false;
  return ['labels', 'annotations'].some((tag) => {
    const m = entryNamed(tag, metadata);
    return (
      isJsonObject(m) &&
      Object.values(m).every((v) => typeof v === 'string') &&
      Object.keys(m).some((k) => hasWildcard(parseAnchor(k)?.key ?? k))
    );
  });
}
