// The runtime's rotation wiring: a changed TLS Secret reaches the webhook configurations' caBundle
// and the served certificate without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { systemClock } from '../platform/clock.js';
import { silentLogger } from '../platform/logger.js';
import { POLICY_VALIDATING } from '../webhook/configurations.js';
import { startRuntime } from './runtime.js';
import { caBundleTrusts } from './tls-rotator.js';
import { readTlsSecret } from './tls-secret.js';

const NS = 'sprout';
const hosts = ['127.0.0.1'];

function servedSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('a Secret replaced under a running runtime (new CA) is trusted by the configurations and served', async () => {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const secret = (ca: { certPem: string }, cert: { certPem: string; keyPem: string }): Record<string, string> => ({ 'tls.key': b64(cert.keyPem), 'tls.crt': b64(cert.certPem), 'ca.crt': b64(ca.certPem) });
  const ca1 = createCertificateAuthority();
  await cluster.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sprout-tls', namespace: NS }, type: 'kubernetes.io/tls', data: secret(ca1, issueCertificate(ca1, { commonName: 'a', hosts })) });
  const runtime = await startRuntime({
    cluster,
    clock: systemClock,
    logger: silentLogger(),
    namespace: NS,
    webhook: { host: '127.0.0.1', port: 0, endpoint: (p) => ({ url: `https://127.0.0.1:${p}` }), hosts },
    tls: await readTlsSecret(cluster, NS, 'sprout-tls'),
    tlsSecret: { name: 'sprout-tls', selfManaged: false, reloadIntervalMs: 20 },
  });
  try {
    await runtime.ready;
    const caBundle = async (): Promise<string> => {
      const cfg = await cluster.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: POLICY_VALIDATING });
      return (cfg['webhooks'] as { clientConfig: { caBundle: string } }[])[0]?.clientConfig.caBundle ?? '';
    };
    assert.ok(caBundleTrusts(await caBundle(), ca1.certPem));

    const ca2 = createCertificateAuthority();
    const cert2 = issueCertificate(ca2, { commonName: 'b', hosts });
    const live = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'sprout-tls' });
    await cluster.update({ ...live, data: secret(ca2, cert2) });
    const want = new X509Certificate(cert2.certPem).serialNumber;
    await eventually(async () => (await servedSerial(runtime.webhookPort)) === want, 'the new certificate to be served');
    assert.ok(caBundleTrusts(await caBundle(), ca2.certPem), 'the new CA was published before the certificate was served');
  } finally {
    await runtime.stop();
  }
});
