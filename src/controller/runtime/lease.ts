// The coordination.k8s.io/v1 Lease as leader election reads and writes it. Times are MicroTime:
// RFC 3339 with exactly six fractional digits, as the API server serialises them.
import type { KubeObject } from '../../api/kube.js';

export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

export interface LeaseRecord {
  /** Empty when nobody holds the lease (it was released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

/** "2024-01-01T00:00:00.123000Z" from epoch milliseconds. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Epoch milliseconds from an RFC 3339 time with any number of fractional digits; NaN if unreadable. */
export function parseMicroTime(value: string): number {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (match === null) return NaN;
  const millis = (match[2] ?? '').slice(0, 3).padEnd(3, '0');
  return Date.parse(`${match[1] ?? ''}.${millis}${match[3] ?? 'Z'}`);
}

function stringField(spec: Record<string, unknown>, key: string): string {
  const value = spec[key];
  return typeof value === 'string' ? value : '';
}

function numberField(spec: Record<string, unknown>, key: string): number {
  const value = spec[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Reads the election fields of a Lease, tolerating missing ones (a fresh or foreign Lease). */
export function leaseRecordOf(lease: KubeObject): LeaseRecord {
  const raw = lease.spec;
  const spec =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return {
    holderIdentity: stringField(spec, 'holderIdentity'),
    leaseDurationSeconds: numberField(spec, 'leaseDurationSeconds'),
    acquireTime: stringField(spec, 'acquireTime'),
    renewTime: stringField(spec, 'renewTime'),
    leaseTransitions: numberField(spec, 'leaseTransitions'),
  };
}

/** `lease` with its election fields replaced; other spec fields and metadata are kept. */
export function withLeaseRecord(lease: KubeObject, record: LeaseRecord): KubeObject {
  const raw = lease.spec;
  const spec =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return { ...lease, spec: { ...spec, ...record } };
}

export function newLease(namespace: string, name: string, record: LeaseRecord): KubeObject {
  return { apiVersion: LEASE_API_VERSION, kind: 'Lease', metadata: { namespace, name }, spec: { ...record } };
}
