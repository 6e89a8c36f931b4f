// Keeps the webhook's serving certificate current while Sprout runs. Every replica polls the TLS
// Secret and hands a changed bundle to `apply` (the server swaps its secure context: open connections
// keep their session, new handshakes get the new certificate; the caBundle goes to the webhook
// configurations). In self-managed mode the renewer (the leader, or every replica without leader
// election: writes carry the resourceVersion they read, so racing replicas settle on one result)
// also renews the Secret through tls-plan.ts. cert-manager and user Secrets are only reloaded.
import type { ClusterClient } from '../cluster/client.js';
import { NotFoundError } from '../cluster/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { splitPemCertificates } from './tls-plan.js';
import type { TlsBundle } from './tls-secret.js';
import { bundleOf, CA_RENEW_BEFORE_MS, reconcileTlsSecret, RENEW_BEFORE_MS, stateOf } from './tls-secret.js';

export interface TlsRotatorOptions {
  cluster: ClusterClient;
  clock: Clock;
  logger: Logger;
  namespace: string;
  name: string;
  /** Sprout issues and renews the Secret; otherwise (cert-manager, user Secret) it only reloads it. */
  selfManaged: boolean;
  hosts: string[];
  /** What is served now. */
  initial: TlsBundle;
  /** Serves a changed bundle and publishes its caBundle. */
  apply: (bundle: TlsBundle) => Promise<void>;
  /** Whether this replica renews (the leader); reloading happens everywhere. */
  isRenewer: () => boolean;
  /** Whether every webhook configuration trusts this CA (PEM) already. */
  caTrusted: (caPem: string) => Promise<boolean>;
  /** How often the Secret is read for a changed certificate (default 1 min). */
  reloadIntervalMs?: number;
  /** How often the renewer checks expiry (default 1 h). */
  checkIntervalMs?: number;
  renewBeforeMs?: number;
  caRenewBeforeMs?: number;
}

export class TlsRotator {
  private current: TlsBundle;
  private lastCheck = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: TlsRotatorOptions) {
    this.current = o.initial;
  }

  /** What is served now. */
  serving(): TlsBundle {
    return this.current;
  }

  async run(signal: AbortSignal): Promise<void> {
    const interval = this.o.reloadIntervalMs ?? 60_000;
    while (!signal.aborted) {
      await this.o.clock.sleep(interval, signal);
      if (signal.aborted) break;
      try {
        await this.tick();
      } catch (e) {
        this.o.logger.error({ err: e, secret: `${this.o.namespace}/${this.o.name}` }, 'TLS certificate check failed');
      }
    }
  }

  /** One poll: renew when due (renewer, self-managed), then reload whatever the Secret holds. */
  async tick(): Promise<void> {
    const o = this.o;
    const now = o.clock.now();
    let latest: TlsBundle | undefined;
    if (o.selfManaged && o.isRenewer() && now - this.lastCheck >= (o.checkIntervalMs ?? 3_600_000)) {
      this.lastCheck = now;
      const nextTrusted = await this.stagedCaTrusted();
      const result = await reconcileTlsSecret(o.cluster, o.namespace, o.name, now, {
        hosts: o.hosts,
        renewBeforeMs: o.renewBeforeMs ?? RENEW_BEFORE_MS,
        caRenewBeforeMs: o.caRenewBeforeMs ?? CA_RENEW_BEFORE_MS,
        nextTrusted,
      });
      if (result.wrote) o.logger.info({ secret: `${o.namespace}/${o.name}`, reason: result.wrote }, 'TLS secret renewed');
      latest = result.bundle;
    } else {
      try {
        latest = bundleOf(await o.cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: o.namespace, name: o.name }));
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
      if (!latest) o.logger.warn({ secret: `${o.namespace}/${o.name}` }, 'TLS secret missing or incomplete: serving the certificate loaded before');
    }
    if (latest && !sameBundle(latest, this.current)) {
      await o.apply(latest);
      this.current = latest;
      o.logger.info({ secret: `${o.namespace}/${o.name}` }, 'serving certificate reloaded');
    }
  }

  /** The staged next CA may sign once the webhook configurations trust it. */
  private async stagedCaTrusted(): Promise<boolean> {
    let secret;
    try {
      secret = await this.o.cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: this.o.namespace, name: this.o.name });
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
    const next = stateOf(secret)?.next;
    return next !== undefined && (await this.o.caTrusted(next.certPem));
  }
}

function sameBundle(a: TlsBundle, b: TlsBundle): boolean {
  return a.certPem === b.certPem && a.keyPem === b.keyPem && a.caPem === b.caPem;
}

/** Whether a caBundle (base64 of one or more PEMs) includes `caPem`. */
export function caBundleTrusts(caBundleBase64: string, caPem: string): boolean {
  const want = splitPemCertificates(caPem)[0]?.trim();
  if (want === undefined) return false;
  return splitPemCertificates(Buffer.from(caBundleBase64, 'base64').toString('utf8')).some((p) => p.trim() === want);
}

/** Whether every webhook of the named configurations (those that exist) trusts `caPem`. */
export async function configurationsTrust(cluster: ClusterClient, configurations: { kind: string; name: string }[], caPem: string): Promise<boolean> {
  let seen = 0;
  for (const c of configurations) {
    let live;
    try {
      live = await cluster.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: c.kind, name: c.name });
    } catch (e) {
      if (e instanceof NotFoundError) continue;
      throw e;
    }
    const hooks = Array.isArray(live['webhooks']) ? (live['webhooks'] as { clientConfig?: { caBundle?: string } }[]) : [];
    for (const h of hooks) {
      seen++;
      if (!caBundleTrusts(h.clientConfig?.caBundle ?? '', caPem)) return false;
    }
  }
  return seen > 0;
}
