// Wildcard keys in a pattern's metadata.labels / metadata.annotations (`app.kubernetes.io/*: "?*"`)
// stand for the resource's matching keys, as Kyverno's wildcards.ExpandInMetadata does.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { hasWildcard, wildcardMatch } from '../wildcard.js';
import { parseAnchor } from './anchor.js';

function entryNamed(tag: string, obj: JsonObject): [string, JsonValue] | undefined {
  for (const [k, v] of Object.entries(obj)) if ((parseAnchor(k)?.key ?? k) === tag) return [k, v];
  return undefined;
}

function isStringMap(v: JsonValue | undefined): v is JsonObject {
  return isJsonObject(v) && Object.values(v).every((x) => typeof x === 'string');
}

function expandTag(tag: string, pattern: JsonObject, resource: JsonObject): [string, JsonObject] | undefined {
  const p = entryNamed(tag, pattern);
  const r = entryNamed(tag, resource);
  if (p === undefined || r === undefined || !isStringMap(p[1]) || !isStringMap(r[1])) return undefined;
  const resourceKeys = Object.keys(r[1]).sort();
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(p[1])) {
    const a = parseAnchor(k);
    const bare = a?.key ?? k;
    if (!hasWildcard(bare)) {
      out[k] = v;
      continue;
    }
    const hit = resourceKeys.find((rk) => wildcardMatch(bare, rk));
    const prefix = a ? a.raw.slice(0, a.raw.length - a.key.length - 2) : '';
    out[hit === undefined ? k : a ? `${prefix}(${hit})` : hit] = v;
  }
  return [p[0], out];
}

export function expandMetadataWildcards(pattern: JsonObject, resource: JsonObject): JsonObject {
  const pm = entryNamed('metadata', pattern);
  const rm = resource['metadata'];
  if (pm === undefined || !isJsonObject(pm[1]) || !isJsonObject(rm)) return pattern;
  let metadata: JsonObject = pm[1];
  for (const tag of ['labels', 'annotations']) {
    const expanded = expandTag(tag, metadata, rm);
    if (expanded !== undefined) metadata = { ...metadata, [expanded[0]]: expanded[1] };
  }
  return metadata === pm[1] ? pattern : { ...pattern, [pm[0]]: metadata };
}
