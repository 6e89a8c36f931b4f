// The certificate a process starts with: only a process that runs the controller renews a Secret
// that is due; a webhook-only one serves it as it is, and creates it only when it is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { MemoryCluster } from '../cluster/memory/index.js';
import { NotFoundError } from '../cluster/errors.js';
import { startupTls } from './startup-tls.js';
import type { StartupTlsOptions } from './startup-tls.js';
import { ensureTlsSecret } from './tls-secret.js';

const NS = 'sprout';
const SECRET = { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'sprout-tls' };

async function clusterWithNamespace(): Promise<MemoryCluster> {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return cluster;
}

const options = (cluster: MemoryCluster, o: Partial<StartupTlsOptions>): StartupTlsOptions => ({
  cluster,
  namespace: NS,
  name: 'sprout-tls',
  mode: 'self-managed',
  hosts: ['sprout.sprout.svc'],
  now: Date.now(),
  renews: false,
  ...o,
});

test('a webhook-only process creates the self-managed Secret when it is missing', async () => {
  const cluster = await clusterWithNamespace();
  const bundle = await startupTls(options(cluster, {}));
  assert.ok(new X509Certificate(bundle.certPem).checkHost('sprout.sprout.svc'));
  assert.ok((await cluster.get(SECRET)).metadata.resourceVersion);
});

test('a Secret due for renewal (it no longer names the hosts) is renewed only by a process that renews', async () => {
  for (const renews of [false, true]) {
    const cluster = await clusterWithNamespace();
    const old = await ensureTlsSecret(cluster, NS, 'sprout-tls', ['old.sprout.svc'], Date.now());
    const before = (await cluster.get(SECRET)).metadata.resourceVersion;
    const bundle = await startupTls(options(cluster, { renews }));
    const after = (await cluster.get(SECRET)).metadata.resourceVersion;
    if (renews) {
      assert.notEqual(after, before, 'the controller renews');
      assert.ok(new X509Certificate(bundle.certPem).checkHost('sprout.sprout.svc'));
    } else {
      assert.equal(after, before, 'the webhook leaves the Secret alone');
      assert.deepEqual(bundle, old);
    }
  }
});

test('cert-manager and user Secrets are only read, whichever component starts', async () => {
  const cluster = await clusterWithNamespace();
  for (const mode of ['cert-manager', 'secret'] as const) {
    for (const renews of [false, true]) await assert.rejects(startupTls(options(cluster, { mode, renews })), NotFoundError);
  }
  const made = await ensureTlsSecret(cluster, NS, 'sprout-tls', ['x'], Date.now());
  assert.deepEqual(await startupTls(options(cluster, { mode: 'secret', renews: true })), made);
});
