// The server around the handlers: timeouts follow the failure policy, replies carry a content-length
// (no chunked framing), and a certificate swap (rotation) keeps open connections while new ones see
// the new certificate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AdmissionResponse } from '../api/admission.js';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';
import { silentLogger } from '../platform/logger.js';
import { Metrics } from '../platform/metrics.js';
import type { WebhookServerOptions } from './server.js';
import { WebhookServer } from './server.js';

const ca = createCertificateAuthority();
const issue = (): { keyPem: string; certPem: string } => issueCertificate(ca, { commonName: '127.0.0.1', hosts: ['127.0.0.1'] });

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reused: boolean;
  serial: string;
}

function post(port: number, path: string, body: string, agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      // Read now: the socket goes back to the agent once the body has been read.
      const serial = (res.socket as unknown as { getPeerCertificate(): { serialNumber: string } }).getPeerCertificate().serialNumber;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), reused: req.reusedSocket, serial });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const review = (uid: string): string =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE', userInfo: {}, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } },
  });

async function withServer(o: Partial<WebhookServerOptions>, fn: (port: number, server: WebhookServer, agent: Agent) => Promise<void>): Promise<void> {
  const cert = issue();
  const server = new WebhookServer({ tls: { key: cert.keyPem, cert: cert.certPem }, routes: {}, logger: silentLogger(), metrics: new Metrics(), ready: () => true, ...o });
  const { port } = await server.listen();
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem });
  try {
    await fn(port, server, agent);
  } finally {
    agent.destroy();
    await server.close();
  }
}

const never = (): Promise<AdmissionResponse> => new Promise(() => undefined);

test('a handler that outlives the timeout is answered by the failure policy; fast ones are not affected', async () => {
  const cases: { policy: 'Fail' | 'Ignore'; expect: Partial<AdmissionResponse> }[] = [
    { policy: 'Ignore', expect: { allowed: true, warnings: ['webhook /slow timed out after 50 ms'] } },
    { policy: 'Fail', expect: { allowed: false, status: { code: 500, message: 'webhook /slow timed out after 50 ms', status: 'Failure', reason: 'InternalError' } } },
  ];
  for (const c of cases) {
    const routes = { '/slow': never, '/fast': (): Promise<AdmissionResponse> => Promise.resolve({ uid: 'ignored', allowed: true }) };
    await withServer({ routes, timeoutMs: 50, failurePolicy: () => c.policy }, async (port, _server, agent) => {
      const [slow, fast] = await Promise.all([post(port, '/slow', review('s-1'), agent), post(port, '/fast', review('f-1'), agent)]);
      assert.equal(slow.status, 200);
      assert.deepEqual((JSON.parse(slow.body) as { response: AdmissionResponse }).response, { uid: 's-1', ...c.expect }, c.policy);
      assert.deepEqual((JSON.parse(fast.body) as { response: AdmissionResponse }).response, { uid: 'f-1', allowed: true }, 'the uid is the request\'s');
    });
  }
});

test('a handler that throws is answered by the failure policy with its message', async () => {
  const routes = { '/boom': (): Promise<AdmissionResponse> => Promise.reject(new Error('kaput')) };
  await withServer({ routes, failurePolicy: () => 'Ignore' }, async (port, _server, agent) => {
    const r = await post(port, '/boom', review('b-1'), agent);
    assert.deepEqual((JSON.parse(r.body) as { response: AdmissionResponse }).response, { uid: 'b-1', allowed: true, warnings: ['webhook /boom failed: kaput'] });
  });
});

test('replies carry a content-length and no chunked framing', async () => {
  const routes = { '/validate': (): Promise<AdmissionResponse> => Promise.resolve({ uid: '', allowed: true, warnings: ['ünïcode'] }) };
  await withServer({ routes }, async (port, _server, agent) => {
    for (const [path, body] of [['/validate', review('c-1')], ['/missing', review('c-2')], ['/validate', '{not json']] as const) {
      const r = await post(port, path, body, agent);
      assert.equal(r.headers['transfer-encoding'], undefined, path);
      assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body), path);
    }
  });
});

test('setTls: an open keep-alive connection keeps working; new connections get the new certificate', async () => {
  const routes = { '/validate': (): Promise<AdmissionResponse> => Promise.resolve({ uid: '', allowed: true }) };
  await withServer({ routes }, async (port, server, agent) => {
    const before = await post(port, '/validate', review('k-1'), agent);
    const next = issue();
    server.setTls({ key: next.keyPem, cert: next.certPem });
    const same = await post(port, '/validate', review('k-2'), agent);
    assert.equal(same.status, 200);
    assert.equal(same.reused, true, 'the connection survived the swap');
    assert.equal(same.serial, before.serial, 'an open connection keeps its session');
    const fresh = new Agent({ keepAlive: false, ca: ca.certPem });
    try {
      const after = await post(port, '/validate', review('k-3'), fresh);
      assert.equal(after.serial, new X509Certificate(next.certPem).serialNumber);
      assert.notEqual(after.serial, before.serial);
    } finally {
      fresh.destroy();
    }
  });
});
