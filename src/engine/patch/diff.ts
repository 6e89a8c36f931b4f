// The RFC 6902 patch that turns one document into another (what a mutating webhook returns).
import fastJsonPatch from 'fast-json-patch';
import type { JsonValue } from '../../api/json.js';
import type { JsonPatchOperation } from './json-patch.js';

export function diffJsonPatch(from: JsonValue, to: JsonValue): JsonPatchOperation[] {
  return fastJsonPatch.compare(from as object, to as object) as JsonPatchOperation[];
}
