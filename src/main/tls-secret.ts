// The webhook's serving certificate, shared by every replica through a Secret in Sprout's namespace:
// the first replica creates it, the others read it. tls-plan.ts decides renewals (the CA is kept, so
// the caBundle stays valid); this file reads and writes the Secret with resourceVersion checks, so
// replicas that race agree on one winner instead of overwriting each other.
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient } from '../cluster/client.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../cluster/errors.js';
import type { PlanOptions, TlsState } from './tls-plan.js';
import { planTlsState, splitPemCertificates } from './tls-plan.js';

export interface TlsBundle {
  keyPem: string;
  certPem: string;
  /** Every CA the API server should trust (one PEM or several, concatenated): the webhooks' caBundle. */
  caPem: string;
}

export const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
export const CA_RENEW_BEFORE_MS = 60 * 24 * 3600 * 1000;

const NEXT_CA_CERT = 'sprout.io/next-ca.crt';
const NEXT_CA_KEY = 'sprout.io/next-ca.key';
const CA_KEY = 'ca.key';

type SecretData = Record<string, string | undefined>;

function secretData(secret: KubeObject): SecretData {
  const raw = (secret['data'] ?? {}) as Record<string, string>;
  const out: SecretData = {};
  for (const [k, v] of Object.entries(raw)) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** What the server serves and the API server trusts, from the Secret; undefined when incomplete. */
export function bundleOf(secret: KubeObject): TlsBundle | undefined {
  const d = secretData(secret);
  const keyPem = d['tls.key'];
  const certPem = d['tls.crt'];
  const caPem = d['ca.crt'];
  return keyPem && certPem && caPem ? { keyPem, certPem, caPem } : undefined;
}

/** The self-managed state: the bundle plus the CA keys only Sprout's own Secrets carry. */
export function stateOf(secret: KubeObject): TlsState | undefined {
  const d = secretData(secret);
  const bundle = bundleOf(secret);
  if (!bundle) return undefined;
  const trusted = splitPemCertificates(bundle.caPem);
  const caCert = trusted[0];
  if (caCert === undefined) return undefined;
  const nextCert = d[NEXT_CA_CERT];
  const nextKey = d[NEXT_CA_KEY];
  return {
    serving: { certPem: bundle.certPem, keyPem: bundle.keyPem },
    ca: { certPem: caCert, ...(d[CA_KEY] ? { keyPem: d[CA_KEY] } : {}) },
    trusted,
    ...(nextCert && nextKey ? { next: { certPem: nextCert, keyPem: nextKey } } : {}),
  };
}

export function bundleOfState(s: TlsState): TlsBundle {
  return { keyPem: s.serving.keyPem, certPem: s.serving.certPem, caPem: s.trusted.join('') };
}

function secretBody(namespace: string, name: string, s: TlsState): KubeObject {
  const b64 = (v: string): string => Buffer.from(v).toString('base64');
  const bundle = bundleOfState(s);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'sprout' } },
    type: 'kubernetes.io/tls',
    data: {
      'tls.key': b64(bundle.keyPem),
      'tls.crt': b64(bundle.certPem),
      'ca.crt': b64(bundle.caPem),
      ...(s.ca.keyPem ? { [CA_KEY]: b64(s.ca.keyPem) } : {}),
      ...(s.next ? { [NEXT_CA_CERT]: b64(s.next.certPem), [NEXT_CA_KEY]: b64(s.next.keyPem) } : {}),
    },
  };
}

const secretRef = (namespace: string, name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });

/** Reads the bundle from the Secret (cert-manager or user-supplied certificates). */
export async function readTlsSecret(cluster: ClusterClient, namespace: string, name: string): Promise<TlsBundle> {
  const bundle = bundleOf(await cluster.get(secretRef(namespace, name)));
  if (!bundle) throw new Error(`secret ${namespace}/${name} must hold tls.key, tls.crt and ca.crt`);
  return bundle;
}

export type PlanInput = Omit<PlanOptions, 'now'>;

export interface ReconcileResult {
  bundle: TlsBundle;
  /** The Secret as it now is (after our write, or as another replica left it). */
  secret: KubeObject;
  /** Why we wrote, when we did. */
  wrote?: string;
}

/**
 * One step of the self-managed Secret: read it, ask the plan, write with the resourceVersion read.
 * On a conflict another replica wrote first: read again and judge their result.
 */
export async function reconcileTlsSecret(cluster: ClusterClient, namespace: string, name: string, now: number, plan: PlanInput): Promise<ReconcileResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let live: KubeObject | undefined;
    try {
      live = await cluster.get(secretRef(namespace, name));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const current = live ? stateOf(live) : undefined;
    const decided = planTlsState(current, { ...plan, now });
    if (!decided.write && live && current) return { bundle: bundleOfState(current), secret: live };
    if (!decided.write) continue;
    const body = secretBody(namespace, name, decided.state);
    try {
      const written = live
        ? await cluster.update({ ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } })
        : await cluster.create(body);
      return { bundle: bundleOfState(decided.state), secret: written, wrote: decided.reason };
    } catch (e) {
      if (e instanceof AlreadyExistsError || e instanceof ConflictError) continue;
      throw e;
    }
  }
  throw new Error(`could not agree on the TLS secret ${namespace}/${name}`);
}

/** Self-managed mode at start-up: reuse the shared Secret while it is valid for `hosts`, else renew it. */
export async function ensureTlsSecret(cluster: ClusterClient, namespace: string, name: string, hosts: string[], now: number): Promise<TlsBundle> {
  const result = await reconcileTlsSecret(cluster, namespace, name, now, {
    hosts,
    renewBeforeMs: RENEW_BEFORE_MS,
    caRenewBeforeMs: CA_RENEW_BEFORE_MS,
    nextTrusted: false,
    immediate: true,
  });
  return result.bundle;
}
