// What the self-managed TLS Secret should hold next, decided from what it holds now and the time.
// The CA is kept while it is valid, so renewing the serving certificate never changes the caBundle.
// A CA near its end is replaced in two steps, so no replica ever serves a certificate the API server
// does not trust: first the next CA is added to the trusted bundle (ca.crt) and published in the
// webhook configurations; only once they trust it is the serving certificate re-issued from it.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';
import { certificateAuthorityFromPem } from './ca-from-pem.js';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** Everything the Secret holds, decoded. */
export interface TlsState {
  serving: KeyPair;
  /** The CA that signed `serving`; its key is absent in Secrets written before rotation existed. */
  ca: { certPem: string; keyPem?: string };
  /** Every CA the webhook configurations should trust (ca.crt), the signing CA first. */
  trusted: string[];
  /** A CA waiting to be trusted everywhere before it signs. */
  next?: KeyPair;
}

export interface PlanOptions {
  now: number;
  hosts: string[];
  /** Re-issue the serving certificate this long before it expires. */
  renewBeforeMs: number;
  /** Stage the next CA this long before the current one expires. */
  caRenewBeforeMs: number;
  /** Whether the webhook configurations already trust the staged next CA. */
  nextTrusted: boolean;
  /**
   * No staged hand-over possible (start-up, before the webhook serves): a serving certificate that
   * cannot be re-issued from a kept CA is replaced together with a new CA at once.
   */
  immediate?: boolean;
}

export type Plan = { write: false } | { write: true; state: TlsState; reason: string };

const DAY_MS = 24 * 3600 * 1000;
const SERVING_DAYS = 365;
const CA_DAYS = 3650;

export function splitPemCertificates(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g)?.map((p) => (p.endsWith('\n') ? p : `${p}\n`)) ?? [];
}

const notAfter = (pem: string): number => Date.parse(new X509Certificate(pem).validTo);

function coversHosts(certPem: string, hosts: string[]): boolean {
  const cert = new X509Certificate(certPem);
  return hosts.every((h) => (isIP(h) === 0 ? cert.checkHost(h) !== undefined : cert.checkIP(h) !== undefined));
}

/** A bundle with `first` in front, without duplicates or expired CAs. */
function trustedBundle(first: string[], rest: string[], now: number): string[] {
  const out: string[] = [];
  for (const pem of [...first, ...rest]) if (!out.includes(pem) && notAfter(pem) > now) out.push(pem);
  return out;
}

function newCa(now: number): KeyPair {
  const ca = createCertificateAuthority({ commonName: 'sprout-webhook-ca', now: new Date(now), validDays: CA_DAYS });
  return { certPem: ca.certPem, keyPem: ca.keyPem };
}

/** A serving certificate from `ca`, never valid past the CA itself. */
function issueServing(ca: KeyPair, hosts: string[], now: number): KeyPair {
  const authority = certificateAuthorityFromPem(ca.certPem, ca.keyPem);
  const days = Math.min(SERVING_DAYS, Math.floor((notAfter(ca.certPem) - now) / DAY_MS));
  const cert = issueCertificate(authority, { commonName: hosts[0] ?? 'sprout', hosts, now: new Date(now), validDays: Math.max(1, days) });
  return { certPem: cert.certPem, keyPem: cert.keyPem };
}

/** A new serving certificate from a new CA (the staged one, if any); CAs trusted today stay trusted. */
function fresh(hosts: string[], now: number, keepTrusted: string[], staged?: KeyPair): TlsState {
  const ca = staged && notAfter(staged.certPem) - now > DAY_MS ? staged : newCa(now);
  return { serving: issueServing(ca, hosts, now), ca, trusted: trustedBundle([ca.certPem], keepTrusted, now) };
}

export function planTlsState(current: TlsState | undefined, o: PlanOptions): Plan {
  const { now, hosts } = o;
  if (!current) return { write: true, state: fresh(hosts, now, []), reason: 'no certificate yet' };
  const servingEnd = notAfter(current.serving.certPem);
  const caEnd = notAfter(current.ca.certPem);
  const hostsOk = coversHosts(current.serving.certPem, hosts);
  if (servingEnd <= now || caEnd <= now) return { write: true, state: fresh(hosts, now, current.trusted, current.next), reason: 'certificate expired' };

  // Promote the staged CA once the configurations trust it; the old CA stays trusted while valid,
  // so replicas still serving the previous certificate keep working until they reload.
  if (current.next && o.nextTrusted) {
    const next = current.next;
    return {
      write: true,
      state: { serving: issueServing(next, hosts, now), ca: next, trusted: trustedBundle([next.certPem], current.trusted, now) },
      reason: 'next CA is trusted by the webhook configurations: serving certificate re-issued from it',
    };
  }
  // A CA without its key (older Secrets) cannot sign again: hand over to a new one like an expiring CA.
  const caKey = current.ca.keyPem;
  const caEnding = caKey === undefined || caEnd - now < o.caRenewBeforeMs;
  const servingDue = servingEnd - now < o.renewBeforeMs || !hostsOk;

  if (servingDue && caKey !== undefined && caEnd - now > DAY_MS) {
    const ca = { certPem: current.ca.certPem, keyPem: caKey };
    return { write: true, state: { ...current, serving: issueServing(ca, hosts, now) }, reason: hostsOk ? 'serving certificate near expiry' : 'serving certificate does not cover every host' };
  }
  if (servingDue && o.immediate) return { write: true, state: fresh(hosts, now, current.trusted, current.next), reason: 'serving certificate due and its CA cannot sign' };
  if (caEnding && !current.next) {
    const next = newCa(now);
    return {
      write: true,
      state: { ...current, next, trusted: trustedBundle(current.trusted, [next.certPem], now) },
      reason: caKey === undefined ? 'CA key unknown: next CA staged' : 'CA near expiry: next CA staged',
    };
  }
  // Drop CAs that expired since the last write.
  const trusted = trustedBundle([current.ca.certPem], current.trusted, now);
  if (trusted.length !== current.trusted.length) return { write: true, state: { ...current, trusted }, reason: 'expired CA removed from the bundle' };
  return { write: false };
}
