// The webhook over loopback HTTPS: well-formed replies to everything, policy validation, generate hand-off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import type { AdmissionRequest, RequestUser } from '../../../src/api/admission.js';
import { createCertificateAuthority, issueCertificate } from '../../../src/cluster/http/index.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { Metrics } from '../../../src/platform/metrics.js';
import { admissionRoutes } from '../../../src/webhook/handlers.js';
import { WebhookServer } from '../../../src/webhook/server.js';
import { seeded } from '../controller/flaky-client.js';
import { post } from './client.js';

async function startWebhook(
  handled: { req: AdmissionRequest; user: RequestUser }[] = [],
): Promise<{ server: WebhookServer; port: number; ca: string }> {
  const ca = createCertificateAuthority();
  const cert = issueCertificate(ca, { commonName: 'localhost', hosts: ['localhost', '127.0.0.1'] });
  const server = new WebhookServer({
    tls: { key: cert.keyPem, cert: cert.certPem },
    routes: admissionRoutes({ generate: { handleAdmission: (req, user) => void handled.push({ req, user }) } }),
    logger: silentLogger(),
    metrics: new Metrics(),
    ready: () => true,
    maxBodyBytes: 1024 * 1024,
  });
  const { port } = await server.listen();
  return { server, port, ca: ca.certPem };
}

function review(request: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
}

const nsCreate = {
  uid: 'u-1',
  kind: { group: '', version: 'v1', kind: 'Namespace' },
  resource: { group: '', version: 'v1', resource: 'namespaces' },
  name: 'team-a',
  operation: 'CREATE',
  userInfo: { username: 'alice', groups: ['devs'] },
  object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
};

test('a valid review is answered with the same uid and handed to the generate controller', async () => {
  const handled: { req: AdmissionRequest; user: RequestUser }[] = [];
  const { server, port, ca } = await startWebhook(handled);
  try {
    const r = await post(port, '/validate', review(nsCreate), ca);
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { kind: string; response: { uid: string; allowed: boolean } };
    assert.equal(body.kind, 'AdmissionReview');
    assert.deepEqual(body.response, { uid: 'u-1', allowed: true });
    assert.equal(handled.length, 1);
    assert.equal(handled[0]?.user.userInfo.username, 'alice');
    const dry = await post(port, '/validate', review({ ...nsCreate, uid: 'u-2', dryRun: true }), ca);
    assert.equal(dry.status, 200);
    assert.equal(handled.length, 1, 'dry runs generate nothing');
  } finally {
    await server.close();
  }
});

test('an invalid policy is refused with the file-less path and reason; a valid one passes', async () => {
  const { server, port, ca } = await startWebhook();
  try {
    const policy = (generate: Record<string, unknown>): Record<string, unknown> => ({
      ...nsCreate,
      kind: { group: 'kyverno.io', version: 'v1', kind: 'ClusterPolicy' },
      resource: { group: 'kyverno.io', version: 'v1', resource: 'clusterpolicies' },
      object: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'p' },
        spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate }] },
      },
    });
    const bad = await post(
      port,
      '/policy-validate',
      review(
        policy({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'x',
          namespace: 'y',
          data: {},
          clone: { name: 'a', namespace: 'b' },
        }),
      ),
      ca,
    );
    const badBody = JSON.parse(bad.body) as { response: { allowed: boolean; status: { message: string } } };
    assert.equal(badBody.response.allowed, false);
    assert.match(badBody.response.status.message, /^policy p is invalid: spec\.rules\[0\]\.generate/);
    const good = await post(
      port,
      '/policy-validate',
      review(policy({ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'y', data: {} })),
      ca,
    );
    assert.equal((JSON.parse(good.body) as { response: { allowed: boolean } }).response.allowed, true);
  } finally {
    await server.close();
  }
});

test('10,000 malformed and adversarial requests: no crash, every reply well-formed', async () => {
  const { server, port, ca } = await startWebhook();
  const random = seeded(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const mutations: (() => {
    body: string | Buffer;
    headers?: Record<string, string>;
    path?: string;
    method?: string;
  })[] = [
    () => ({ body: '' }),
    () => ({ body: '{' }),
    () => ({ body: 'null' }),
    () => ({ body: '[]' }),
    () => ({ body: '"AdmissionReview"' }),
    () => ({ body: Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))) }),
    () => ({ body: review({ ...nsCreate, uid: 7 }) }),
    () => ({ body: review({ ...nsCreate, operation: 'EXPLODE' }) }),
    () => ({ body: review({ ...nsCreate, kind: 'Namespace' }) }),
    () => ({ body: review({ ...nsCreate, object: 'not an object' }) }),
    () => ({ body: review({ ...nsCreate, object: { metadata: 5 } }) }),
    () => ({ body: review({ ...nsCreate, userInfo: [] }) }),
    () => ({
      body: JSON.stringify({
        apiVersion: 'admission.k8s.io/v1beta1',
        kind: 'AdmissionReview',
        request: nsCreate,
      }),
    }),
    () => ({ body: JSON.stringify({ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1' }) }),
    () => ({
      body: review({
        ...nsCreate,
        object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: { deep: [1, 2, { x: null }] } } },
      }),
    }),
    () => ({ body: review(nsCreate), headers: { 'content-type': 'text/plain' } }),
    () => ({ body: review(nsCreate), path: '/nope' }),
    () => ({ body: review(nsCreate), method: 'PUT' }),
    () => ({ body: '{"a":'.repeat(2000) }),
    () => ({
      body: review({
        ...nsCreate,
        object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x'.repeat(200_000) } },
      }),
    }),
    () => ({ body: review(nsCreate) }),
    () => ({
      body: review({
        ...nsCreate,
        kind: { group: 'kyverno.io', version: 'v1', kind: 'ClusterPolicy' },
        object: {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'p' },
          spec: { rules: 'no' },
        },
      }),
      path: '/policy-validate',
    }),
  ];
  let wellFormed = 0;
  try {
    const total = 10_000;
    const concurrency = 50;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        const m = pick(mutations)();
        const r = await post(
          port,
          m.path ?? pick(['/validate', '/mutate', '/policy-validate']),
          m.body,
          ca,
          m.headers ?? { 'content-type': 'application/json' },
          m.method,
        );
        const body = JSON.parse(r.body) as Record<string, unknown>;
        if (r.status === 200) {
          const resp = body['response'] as { uid?: unknown; allowed?: unknown } | undefined;
          assert.equal(body['kind'], 'AdmissionReview');
          assert.equal(typeof resp?.uid, 'string');
          assert.equal(typeof resp?.allowed, 'boolean');
        } else {
          assert.ok([400, 404, 405, 413, 415].includes(r.status), `status ${r.status}`);
          assert.equal(typeof body['error'], 'string');
        }
        wellFormed++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // Oversized bodies get 413 and the server keeps serving.
    const huge = await post(port, '/validate', Buffer.alloc(2 * 1024 * 1024, 0x20), ca);
    assert.equal(huge.status, 413);
    // A slow client that never finishes its request does not block others.
    const slow = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    slow.write(
      'POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{',
    );
    const after = await post(port, '/validate', review(nsCreate), ca);
    assert.equal(after.status, 200);
    slow.destroy();
    const health = await post(port, '/healthz', '', ca, {}, 'GET');
    assert.equal(health.status, 200);
    assert.equal(wellFormed, total);
  } finally {
    await server.close();
  }
});
