// Decoding and encoding AdmissionReview v1. Anything that is not a well-formed review is rejected
// with a reason, never thrown at the server.
import type { AdmissionRequest, AdmissionResponse, AdmissionReview } from '../api/admission.js';
import type { JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';

export type DecodeResult =
  { ok: true; request: AdmissionRequest } | { ok: false; reason: string; uid?: string };

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

function isGvk(v: JsonValue | undefined): boolean {
  return (
    isJsonObject(v) &&
    typeof v['kind'] === 'string' &&
    typeof v['version'] === 'string' &&
    (v['group'] === undefined || typeof v['group'] === 'string')
  );
}

function isObjectOrNull(v: JsonValue | undefined): boolean {
  return (
    v === undefined ||
    v === null ||
    (isJsonObject(v) && (v['metadata'] === undefined || isJsonObject(v['metadata'])))
  );
}

export function decodeReview(body: string): DecodeResult {
  let doc: JsonValue;
  try {
    doc = JSON.parse(body) as JsonValue;
  } catch (e) {
    return { ok: false, reason: `request body is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'request body is not a JSON object' };
  if (doc['kind'] !== 'AdmissionReview')
    return { ok: false, reason: `expected kind AdmissionReview, got ${JSON.stringify(doc['kind'] ?? null)}` };
  if (doc['apiVersion'] !== 'admission.k8s.io/v1')
    return {
      ok: false,
      reason: `expected apiVersion admission.k8s.io/v1, got ${JSON.stringify(doc['apiVersion'] ?? null)}`,
    };
  const r = doc['request'];
  if (!isJsonObject(r)) return { ok: false, reason: 'AdmissionReview has no request' };
  const uid = typeof r['uid'] === 'string' ? r['uid'] : undefined;
  const fail = (reason: string): DecodeResult =>
    uid === undefined ? { ok: false, reason } : { ok: false, reason, uid };
  if (!uid) return fail('request.uid must be a non-empty string');
  if (!isGvk(r['kind'])) return fail('request.kind must be {group, version, kind}');
  if (!isJsonObject(r['resource']) || typeof r['resource']['resource'] !== 'string')
    return fail('request.resource must be {group, version, resource}');
  if (typeof r['operation'] !== 'string' || !OPERATIONS.has(r['operation']))
    return fail('request.operation must be CREATE, UPDATE, DELETE or CONNECT');
  if (r['userInfo'] !== undefined && !isJsonObject(r['userInfo']))
    return fail('request.userInfo must be an object');
  if (!isObjectOrNull(r['object'])) return fail('request.object must be an object');
  if (!isObjectOrNull(r['oldObject'])) return fail('request.oldObject must be an object');
  for (const k of ['name', 'namespace', 'subResource'] as const) {
    if (r[k] !== undefined && typeof r[k] !== 'string') return fail(`request.${k} must be a string`);
  }
  const request = { ...r, userInfo: r['userInfo'] ?? {} } as unknown as AdmissionRequest;
  return { ok: true, request };
}

export function encodeReview(response: AdmissionResponse): string {
  const review: AdmissionReview = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
  return JSON.stringify(review);
}

export function allow(uid: string, extra: Partial<AdmissionResponse> = {}): AdmissionResponse {
  return { uid, allowed: true, ...extra };
}

export function deny(uid: string, message: string, code = 400): AdmissionResponse {
  return {
    uid,
    allowed: false,
    status: { code, message, status: 'Failure', reason: code === 403 ? 'Forbidden' : 'BadRequest' },
  };
}
