// YAML as Kubernetes reads it: multi-document, YAML 1.1 scalars (`on`/`yes` are booleans).
import { parseAllDocuments } from 'yaml';
import type { JsonValue } from '../api/json.js';

export interface YamlDocument {
  /** 0-based position of the document in its file. */
  index: number;
  value: JsonValue;
}

export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'YamlSyntaxError';
  }
}

/** Parses every non-empty document; throws YamlSyntaxError naming the file on the first syntax error. */
export function parseYamlDocuments(text: string, file: string): YamlDocument[] {
  // Timestamps stay strings, as they do when Kubernetes turns YAML into JSON.
  const docs = parseAllDocuments(text, {
    version: '1.1',
    merge: true,
    uniqueKeys: false,
    customTags: (tags) =>
      tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const out: YamlDocument[] = [];
  let index = 0;
  for (const doc of docs) {
    if ('errors' in doc && doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0];
      throw new YamlSyntaxError(
        file,
        `${line ? `line ${line.line}: ` : ''}${e.message.split('\n')[0] ?? e.message}`,
      );
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as JsonValue | undefined;
    if (value !== null && value !== undefined) out.push({ index, value: normalise(value) });
    index++;
  }
  return out;
}

/** YAML binary would arrive as Uint8Array; Kubernetes treats it as a base64 string. */
function normalise(v: unknown): JsonValue {
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === 'object') {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    const out: Record<string, JsonValue> = {};
    for (const [k, val] of Object.entries(v)) out[k] = normalise(val);
    return out;
  }
  if (typeof v === 'bigint') return Number(v);
  return v as JsonValue;
}
