// Response shapes a client can ask for with Accept: plain JSON (or YAML), a meta.k8s.io Table
// (kubectl get), or PartialObjectMetadata. Anything else is 406, as from kube-apiserver.
import { ClusterError } from '../errors.js';
import { plainStatus } from './respond.js';

export type Representation =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1' };

export class NotAcceptableError extends ClusterError {
  constructor() {
    super(plainStatus(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml'));
  }
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  });
}

/** @throws NotAcceptableError */
export function negotiate(accept: string | undefined): Representation {
  if (accept === undefined || accept.trim() === '') return { kind: 'json' };
  for (const r of parseAccept(accept)) {
    const jsonish = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    if (!jsonish && r.type !== 'application/yaml') continue;
    const as = r.params.as;
    if (as !== undefined) {
      const version = r.params.v === 'v1beta1' ? 'v1beta1' : r.params.v === 'v1' ? 'v1' : undefined;
      if (r.params.g !== 'meta.k8s.io' || version === undefined) continue;
      if (as === 'Table') return { kind: 'table', version };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: 'partial', version };
      continue;
    }
    return r.type === 'application/yaml' ? { kind: 'yaml' } : { kind: 'json' };
  }
  throw new NotAcceptableError();
}
