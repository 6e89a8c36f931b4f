// Rotation end to end on the memory cluster with a FakeClock: the Secret is renewed before expiry,
// the running WebhookServer presents the new certificate (read back over node:tls), the caBundle is
// published before a certificate from a new CA is served, replicas agree on one Secret, and Secrets
// Sprout does not manage (cert-manager, user) are reloaded when they change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import type { KubeObject } from '../api/kube.js';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { FakeClock } from '../platform/clock.js';
import { silentLogger } from '../platform/logger.js';
import { Metrics } from '../platform/metrics.js';
import { WebhookServer } from '../webhook/server.js';
import { caBundleTrusts, configurationsTrust, TlsRotator } from './tls-rotator.js';
import type { TlsRotatorOptions } from './tls-rotator.js';
import type { TlsBundle } from './tls-secret.js';
import { ensureTlsSecret, readTlsSecret } from './tls-secret.js';

const DAY = 24 * 3600 * 1000;
const MINUTE = 60_000;
const NS = 'sprout';
const NAME = 'sprout-tls';
const hosts = ['sprout.sprout.svc', '127.0.0.1'];
const CONFIG = { kind: 'ValidatingWebhookConfiguration', name: 'sprout-resource-validating-webhook-cfg' };

interface PeerCert {
  serialNumber: string;
  valid_to: string;
}

/** The certificate a fresh TLS connection to the server is shown. */
function peerCertificate(port: number): Promise<PeerCert> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve({ serialNumber: cert.serialNumber, valid_to: cert.valid_to });
    });
    socket.on('error', reject);
  });
}

async function newCluster(): Promise<MemoryCluster> {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return cluster;
}

const serialOf = (pem: string): string => new X509Certificate(pem).serialNumber;

async function startServer(tls: TlsBundle): Promise<{ server: WebhookServer; port: number }> {
  const server = new WebhookServer({ tls: { key: tls.keyPem, cert: tls.certPem }, routes: {}, logger: silentLogger(), metrics: new Metrics(), ready: () => true });
  const { port } = await server.listen();
  return { server, port };
}

/** A webhook configuration whose caBundle `publish` rewrites, as the runtime's configure() does. */
async function seedConfiguration(cluster: MemoryCluster, caPem: string): Promise<void> {
  await cluster.create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: CONFIG.kind,
    metadata: { name: CONFIG.name },
    webhooks: [{ name: 'validate.sprout.io', clientConfig: { url: 'https://127.0.0.1/validate', caBundle: Buffer.from(caPem).toString('base64') } }],
  });
}

async function publish(cluster: MemoryCluster, caPem: string): Promise<void> {
  const live = await cluster.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: CONFIG.kind, name: CONFIG.name });
  const hooks = (live['webhooks'] as { clientConfig: { caBundle: string } }[]).map((h) => ({ ...h, clientConfig: { ...h.clientConfig, caBundle: Buffer.from(caPem).toString('base64') } }));
  await cluster.update({ ...live, webhooks: hooks });
}

interface Replica {
  rotator: TlsRotator;
  server: WebhookServer;
  port: number;
  /** What happened, in order: 'trust <serial of the bundle's first CA>' and 'serve <serial>'. */
  events: string[];
}

async function replica(cluster: MemoryCluster, clock: FakeClock, initial: TlsBundle, extra: Partial<TlsRotatorOptions> = {}): Promise<Replica> {
  const { server, port } = await startServer(initial);
  const events: string[] = [];
  let published = initial.caPem;
  const rotator = new TlsRotator({
    cluster,
    clock,
    logger: silentLogger(),
    namespace: NS,
    name: NAME,
    selfManaged: true,
    hosts,
    initial,
    isRenewer: () => true,
    caTrusted: (caPem) => configurationsTrust(cluster, [CONFIG], caPem),
    reloadIntervalMs: MINUTE,
    checkIntervalMs: 3600_000,
    apply: async (bundle) => {
      if (bundle.caPem !== published) {
        await publish(cluster, bundle.caPem);
        published = bundle.caPem;
        events.push(`trust ${bundle.caPem.split('-----END CERTIFICATE-----').length - 1}`);
      }
      server.setTls({ key: bundle.keyPem, cert: bundle.certPem });
      events.push(`serve ${serialOf(bundle.certPem)}`);
    },
    ...extra,
  });
  return { rotator, server, port, events };
}

test('approaching expiry: the leader renews from the same CA, both replicas serve the new certificate', async () => {
  const clock = new FakeClock({ start: Date.UTC(2026, 0, 1) });
  const cluster = await newCluster();
  const first = await ensureTlsSecret(cluster, NS, NAME, hosts, clock.now());
  await seedConfiguration(cluster, first.caPem);
  const leader = await replica(cluster, clock, first);
  const follower = await replica(cluster, clock, first, { isRenewer: () => false });
  const abort = new AbortController();
  try {
    assert.equal((await peerCertificate(leader.port)).serialNumber, serialOf(first.certPem));
    // Two months in, nothing to do: nothing is written.
    await clock.advance(60 * DAY);
    await leader.rotator.tick();
    assert.deepEqual(leader.events, []);
    assert.equal((await readTlsSecret(cluster, NS, NAME)).certPem, first.certPem);
    // (The poll loops start late so the test does not fire a timer for every minute of a year.)
    await clock.advance(276 * DAY);
    const running = [leader.rotator.run(abort.signal), follower.rotator.run(abort.signal)];

    // 336 days in, 29 days before the end: renewed at the next poll.
    await clock.advance(MINUTE);
    const renewed = await readTlsSecret(cluster, NS, NAME);
    assert.notEqual(renewed.certPem, first.certPem);
    assert.equal(renewed.caPem, first.caPem, 'same CA: the caBundle stays valid');
    const shown = await peerCertificate(leader.port);
    assert.equal(shown.serialNumber, serialOf(renewed.certPem));
    assert.equal(Date.parse(shown.valid_to), Date.parse(new X509Certificate(renewed.certPem).validTo));
    assert.ok(Date.parse(shown.valid_to) > clock.now() + 300 * DAY);
    assert.deepEqual(leader.events, [`serve ${serialOf(renewed.certPem)}`], 'no caBundle change');
    // The follower picks it up by its next poll.
    await clock.advance(MINUTE);
    assert.equal((await peerCertificate(follower.port)).serialNumber, serialOf(renewed.certPem));
    abort.abort();
    await Promise.all(running);
  } finally {
    abort.abort();
    await leader.server.close();
    await follower.server.close();
  }
});

test('CA rotation: the next CA is published in the caBundle before a certificate it signed is served', async () => {
  const clock = new FakeClock({ start: Date.UTC(2026, 0, 1) });
  const cluster = await newCluster();
  const first = await ensureTlsSecret(cluster, NS, NAME, hosts, clock.now());
  await seedConfiguration(cluster, first.caPem);
  // Treat the CA as near its end from the start.
  const r = await replica(cluster, clock, first, { caRenewBeforeMs: 3651 * DAY });
  try {
    await r.rotator.tick();
    const staged = await readTlsSecret(cluster, NS, NAME);
    assert.equal(staged.certPem, first.certPem, 'the old certificate is still served');
    assert.deepEqual(r.events, ['trust 2', `serve ${serialOf(first.certPem)}`]);
    const live = await cluster.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: CONFIG.kind, name: CONFIG.name });
    const caBundle = (live['webhooks'] as { clientConfig: { caBundle: string } }[])[0]?.clientConfig.caBundle ?? '';
    assert.ok(caBundleTrusts(caBundle, first.caPem), 'old CA still trusted');

    // Before the next check nothing moves; at the next one the configuration trusts the next CA.
    await clock.advance(30 * MINUTE);
    await r.rotator.tick();
    assert.equal(r.events.length, 2);
    await clock.advance(31 * MINUTE);
    await r.rotator.tick();
    const promoted = await readTlsSecret(cluster, NS, NAME);
    assert.notEqual(promoted.certPem, first.certPem);
    const newCa = promoted.caPem.split(/(?<=-----END CERTIFICATE-----\n)/)[0] ?? '';
    assert.ok(new X509Certificate(promoted.certPem).checkIssued(new X509Certificate(newCa)));
    assert.notEqual(newCa, first.caPem);
    assert.ok(caBundleTrusts(caBundle, newCa), 'the configuration trusted the new CA before it signed');
    assert.deepEqual(r.events.slice(2), ['trust 2', `serve ${serialOf(promoted.certPem)}`]);
    assert.equal((await peerCertificate(r.port)).serialNumber, serialOf(promoted.certPem));
  } finally {
    await r.server.close();
  }
});

test('replicas without leader election renewing at the same moment agree on one Secret', async () => {
  const clock = new FakeClock({ start: Date.UTC(2026, 0, 1) });
  const cluster = await newCluster();
  const first = await ensureTlsSecret(cluster, NS, NAME, hosts, clock.now());
  await seedConfiguration(cluster, first.caPem);
  const a = await replica(cluster, clock, first);
  const b = await replica(cluster, clock, first);
  try {
    await clock.advance(340 * DAY);
    const before = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: NAME });
    await Promise.all([a.rotator.tick(), b.rotator.tick()]);
    const after = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: NAME });
    assert.equal(Number(after.metadata.resourceVersion) - Number(before.metadata.resourceVersion) > 0, true);
    const winner = await readTlsSecret(cluster, NS, NAME);
    assert.notEqual(winner.certPem, first.certPem);
    assert.equal(a.rotator.serving().certPem, winner.certPem);
    assert.equal(b.rotator.serving().certPem, winner.certPem);
    assert.equal((await peerCertificate(a.port)).serialNumber, (await peerCertificate(b.port)).serialNumber);
    // A second round writes nothing.
    await Promise.all([a.rotator.tick(), b.rotator.tick()]);
    const settled = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: NAME });
    assert.equal(settled.metadata.resourceVersion, after.metadata.resourceVersion);
  } finally {
    await a.server.close();
    await b.server.close();
  }
});

test('a Secret Sprout does not manage (cert-manager) is reloaded when it changes, never written', async () => {
  const clock = new FakeClock({ start: Date.UTC(2026, 0, 1) });
  const cluster = await newCluster();
  const ca = createCertificateAuthority({ commonName: 'cert-manager-ca' });
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const secretOf = (key: string, cert: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: NAME, namespace: NS }, type: 'kubernetes.io/tls', data: { 'tls.key': b64(key), 'tls.crt': b64(cert), 'ca.crt': b64(ca.certPem) } });
  const one = issueCertificate(ca, { commonName: 'sprout', hosts });
  await cluster.create(secretOf(one.keyPem, one.certPem));
  const initial = await readTlsSecret(cluster, NS, NAME);
  await seedConfiguration(cluster, initial.caPem);
  const r = await replica(cluster, clock, initial, { selfManaged: false, renewBeforeMs: 400 * DAY });
  const abort = new AbortController();
  try {
    const running = r.rotator.run(abort.signal);
    await clock.advance(10 * MINUTE);
    const unchanged = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: NAME });
    assert.equal(readData(unchanged, 'tls.crt'), one.certPem, 'never renewed by Sprout');
    assert.deepEqual(r.events, []);

    const two = issueCertificate(ca, { commonName: 'sprout', hosts });
    await cluster.update({ ...secretOf(two.keyPem, two.certPem), metadata: { ...unchanged.metadata } });
    await clock.advance(MINUTE);
    assert.equal((await peerCertificate(r.port)).serialNumber, serialOf(two.certPem));
    assert.deepEqual(r.events, [`serve ${serialOf(two.certPem)}`]);

    // A deleted Secret keeps the last certificate served.
    await cluster.delete({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: NAME });
    await clock.advance(MINUTE);
    assert.equal((await peerCertificate(r.port)).serialNumber, serialOf(two.certPem));
    abort.abort();
    await running;
  } finally {
    abort.abort();
    await r.server.close();
  }
});

function readData(secret: KubeObject, key: string): string {
  return Buffer.from(((secret['data'] ?? {}) as Record<string, string>)[key] ?? '', 'base64').toString('utf8');
}
