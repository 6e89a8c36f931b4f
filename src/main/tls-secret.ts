// The webhook's serving certificate, shared by every replica through a Secret in Sprout's namespace:
// the first replica creates it, the others read it; it is re-issued a month before it expires.
import { X509Certificate } from 'node:crypto';
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient } from '../cluster/client.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../cluster/errors.js';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';

export interface TlsBundle {
  keyPem: string;
  certPem: string;
  caPem: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

function decode(secret: KubeObject): TlsBundle | undefined {
  const data = (secret['data'] ?? {}) as Record<string, string>;
  const get = (k: string): string | undefined => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  const keyPem = get('tls.key');
  const certPem = get('tls.crt');
  const caPem = get('ca.crt');
  return keyPem && certPem && caPem ? { keyPem, certPem, caPem } : undefined;
}

function fresh(b: TlsBundle, now: number, hosts: string[]): boolean {
  const cert = new X509Certificate(b.certPem);
  if (Date.parse(cert.validTo) - now < RENEW_BEFORE_MS) return false;
  return hosts.every((h) => cert.checkHost(h) !== undefined || cert.checkIP(h) !== undefined);
}

/** Reads the bundle from the Secret (cert-manager or user-supplied certificates). */
export async function readTlsSecret(cluster: ClusterClient, namespace: string, name: string): Promise<TlsBundle> {
  const secret = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const bundle = decode(secret);
  if (!bundle) throw new Error(`secret ${namespace}/${name} must hold tls.key, tls.crt and ca.crt`);
  return bundle;
}

/** Self-managed mode: reuse the shared Secret while it is valid for `hosts`, else issue a new one. */
export async function ensureTlsSecret(cluster: ClusterClient, namespace: string, name: string, hosts: string[], now: number): Promise<TlsBundle> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let live: KubeObject | undefined;
    try {
      live = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
      const bundle = decode(live);
      if (bundle && fresh(bundle, now, hosts)) return bundle;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const ca = createCertificateAuthority({ commonName: 'sprout-webhook-ca', now: new Date(now) });
    const serving = issueCertificate(ca, { commonName: hosts[0] ?? 'sprout', hosts, now: new Date(now) });
    const bundle = { keyPem: serving.keyPem, certPem: serving.certPem, caPem: ca.certPem };
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'sprout' } },
      type: 'kubernetes.io/tls',
      data: {
        'tls.key': Buffer.from(bundle.keyPem).toString('base64'),
        'tls.crt': Buffer.from(bundle.certPem).toString('base64'),
        'ca.crt': Buffer.from(bundle.caPem).toString('base64'),
      },
    };
    try {
      if (live) await cluster.update({ ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } });
      else await cluster.create(body);
      return bundle;
    } catch (e) {
      // Another replica wrote first: use theirs.
      if (e instanceof AlreadyExistsError || e instanceof ConflictError) continue;
      throw e;
    }
  }
  throw new Error(`could not agree on the TLS secret ${namespace}/${name}`);
}
