// base64, hashes and JSON/YAML decoding of strings.
import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { parseDocument } from 'yaml';
import type { JsonValue } from '../../../api/json.js';
import type { FunctionSpec } from '../types.js';
import { plainError, spec, str, stringAt } from './helpers.js';

/** base64.StdEncoding.DecodeString: padding required, newlines ignored, Go's error text. */
function decodeBase64(input: string): string {
  const text = input.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  const firstPad = text.indexOf('=');
  let corruptAt: number | undefined;
  if (bad !== null) corruptAt = bad.index;
  else if (
    firstPad >= 0 &&
    (!/^=*$/.test(text.slice(firstPad)) || text.length - firstPad > 2 || text.length % 4 !== 0)
  )
    corruptAt = firstPad;
  else if (text.length % 4 !== 0) corruptAt = text.length - (text.length % 4);
  if (corruptAt !== undefined) throw plainError(`illegal base64 data at input byte ${corruptAt}`);
  return Buffer.from(text, 'base64').toString('utf8');
}

function hash(algorithm: 'sha256' | 'sha1' | 'md5', input: string): string {
  return createHash(algorithm).update(input, 'utf8').digest('hex');
}

/** sigs.k8s.io/yaml → JSON: YAML 1.1 scalars, timestamps kept as strings, keys stringified. */
function parseYamlToJson(input: string): JsonValue {
  const doc = parseDocument(input, {
    version: '1.1',
    customTags: (tags) =>
      tags.filter(
        (t) =>
          typeof t === 'string' ||
          !['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary'].includes(t.tag),
      ),
  });
  if (doc.errors.length > 0)
    throw plainError(`error converting YAML to JSON: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

export const encodingFunctions: FunctionSpec[] = [
  spec('base64_decode', [str], (a) => decodeBase64(stringAt(a, 0))),
  spec('base64_encode', [str], (a) => Buffer.from(stringAt(a, 0), 'utf8').toString('base64')),
  spec('sha256', [str], (a) => hash('sha256', stringAt(a, 0))),
  spec('sha1', [str], (a) => hash('sha1', stringAt(a, 0))),
  spec('md5', [str], (a) => hash('md5', stringAt(a, 0))),
  spec('parse_json', [str], (a) => {
    try {
      return JSON.parse(stringAt(a, 0)) as JsonValue;
    } catch (e) {
      throw plainError(e instanceof Error ? e.message : String(e));
    }
  }),
  spec('parse_yaml', [str], (a) => parseYamlToJson(stringAt(a, 0))),
];
