// Request bodies: read with the API server's 3 MiB limit, decoded by Content-Type as
// kube-apiserver does (JSON or YAML objects; the four patch media types for PATCH).
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '../../api/json.js';
import type { PatchType } from '../client.js';
import { ClusterError, badRequest, unsupportedMediaType } from '../errors.js';
import { decodeProtobufObject } from './protobuf.js';
import { plainStatus } from './respond.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export class BodyTooLargeError extends ClusterError {
  constructor(limit: number) {
    super(plainStatus(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`));
  }
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** The media type without parameters, lower-cased ("application/json"). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseYamlBody(text: string): JsonValue {
  try {
    return parseYaml(text, { version: '1.1' }) as JsonValue;
  } catch (e) {
    const first = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    throw badRequest(`error converting YAML to JSON: yaml: ${first}`);
  }
}

/** The body of a create or update: one object, JSON or YAML. */
export function decodeObject(contentType: string | undefined, body: Buffer): JsonValue {
  const type = mediaType(contentType);
  if (type === 'application/json' || type === '') return parseJson(body.toString('utf8'));
  if (type === 'application/yaml') return parseYamlBody(body.toString('utf8'));
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufObject(body);
  throw unsupportedMediaType('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function decodePatch(contentType: string | undefined, body: Buffer, custom: boolean): { type: PatchType; patch: JsonValue } {
  const type = PATCH_TYPES[mediaType(contentType)];
  if (type === undefined || (type === 'strategic' && custom)) {
    const accepted = ['application/json-patch+json', 'application/merge-patch+json', ...(custom ? [] : ['application/strategic-merge-patch+json']), 'application/apply-patch+yaml'];
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  }
  const text = body.toString('utf8');
  if (type === 'apply') return { type, patch: parseYamlBody(text) };
  try {
    return { type, patch: JSON.parse(text) as JsonValue };
  } catch (e) {
    throw badRequest(`error decoding patch: ${e instanceof Error ? e.message : String(e)}`);
  }
}
