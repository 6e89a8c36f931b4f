// The serving certificate a `sprout serve` process starts with. Self-managed, a process that renews
// (one running the controller) reconciles the shared Secret at start; a webhook-only process takes
// the Secret as it is and creates it only when it is missing or incomplete (it may start before any
// controller), leaving expiry to the controller's leader.
import type { ClusterClient } from '../cluster/client.js';
import { NotFoundError } from '../cluster/errors.js';
import type { TlsBundle } from './tls-secret.js';
import { bundleOf, ensureTlsSecret, readTlsSecret } from './tls-secret.js';

export type TlsMode = 'self-managed' | 'cert-manager' | 'secret';

export interface StartupTlsOptions {
  cluster: ClusterClient;
  namespace: string;
  /** The Secret's name. */
  name: string;
  mode: TlsMode;
  /** Names the serving certificate must be valid for (self-managed). */
  hosts: string[];
  now: number;
  /** Whether this process may renew a certificate that is valid but due (self-managed). */
  renews: boolean;
}

export async function startupTls(o: StartupTlsOptions): Promise<TlsBundle> {
  if (o.mode !== 'self-managed') return readTlsSecret(o.cluster, o.namespace, o.name);
  if (!o.renews) {
    try {
      const bundle = bundleOf(await o.cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: o.namespace, name: o.name }));
      if (bundle) return bundle;
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return ensureTlsSecret(o.cluster, o.namespace, o.name, o.hosts, o.now);
}
