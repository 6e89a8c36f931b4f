// Webhook admission over the wire: a tiny HTTPS webhook in the test, registered through the API,
// called by the embedded server the way kube-apiserver calls webhooks.
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AdmissionRequest, AdmissionResponse } from '../../../api/admission.js';
import { createCertificateAuthority, issueCertificate } from '../certs.js';
import type { LocalServer } from '../server.js';
import { startLocalServer } from '../server.js';
import type { ApiResponse } from '../testing.js';
import { apiRequest } from '../testing.js';

type Responder = (req: AdmissionRequest) => Partial<AdmissionResponse> | 'hang';

describe('admission webhooks', () => {
  const ca = createCertificateAuthority({ commonName: 'webhook-ca' });
  const cert = issueCertificate(ca, { commonName: 'hook', hosts: ['127.0.0.1', 'hook.webhooks.svc'] });
  const seen: { path: string; query: string; request: AdmissionRequest }[] = [];
  let respond: Responder = () => ({ allowed: true });
  let hook: Server;
  let hookPort = 0;
  let server: LocalServer;

  before(async () => {
    hook = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: AdmissionRequest };
        const url = new URL(req.url ?? '/', 'https://x');
        seen.push({ path: url.pathname, query: url.search, request: review.request });
        const answer = respond(review.request);
        if (answer === 'hang') return;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, ...answer } }));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookPort = (hook.address() as AddressInfo).port;
    server = await startLocalServer({ serviceResolver: (_ns, _name, port) => `https://127.0.0.1:${port === 443 ? hookPort : port}` });
  });
  after(async () => {
    await server.close();
    hook.closeAllConnections();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });
  beforeEach(async () => {
    seen.length = 0;
    respond = () => ({ allowed: true });
    for (const kind of ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations']) {
      await call('DELETE', `/apis/admissionregistration.k8s.io/v1/${kind}`);
    }
  });

  const call = (method: string, path: string, options?: Parameters<typeof apiRequest>[3]): Promise<ApiResponse> => apiRequest(server, method, path, options);
  const rules = [{ operations: ['CREATE', 'UPDATE', 'DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }];
  const webhook = (extra: object = {}): object => ({
    name: 'check.sprout.test',
    clientConfig: { url: `https://127.0.0.1:${hookPort}/validate`, caBundle: ca.certBase64 },
    rules, sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 1, ...extra,
  });
  const register = async (kind: 'Validating' | 'Mutating', ...hooks: object[]): Promise<void> => {
    const r = await call('POST', `/apis/admissionregistration.k8s.io/v1/${kind.toLowerCase()}webhookconfigurations`, {
      body: { apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name: `${kind.toLowerCase()}-test` }, webhooks: hooks },
    });
    assert.equal(r.status, 201, r.text);
  };
  const createCm = (name: string, labels: Record<string, string> = {}, options: Parameters<typeof apiRequest>[3] = {}): Promise<ApiResponse> =>
    call('POST', '/api/v1/namespaces/default/configmaps', { ...options, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } } });

  it('sends an AdmissionReview v1 with the request details and the impersonated user', async () => {
    await register('Validating', webhook());
    const r = await createCm('reviewed', {}, { headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': ['devs', 'qa'] } });
    assert.equal(r.status, 201, r.text);
    assert.equal(seen.length, 1);
    const { request, path, query } = seen[0]!;
    assert.equal(path, '/validate');
    assert.equal(query, '?timeout=1s');
    assert.match(request.uid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(request.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(request.resource, { group: '', version: 'v1', resource: 'configmaps' });
    assert.equal(request.operation, 'CREATE');
    assert.equal(request.namespace, 'default');
    assert.equal(request.name, 'reviewed');
    assert.deepEqual(request.userInfo, { username: 'jane', groups: ['devs', 'qa', 'system:authenticated'] });
    assert.equal(request.object?.metadata.name, 'reviewed');
    // The uid is assigned before validating admission and kept: a webhook can key work on it.
    const stored = (await call('GET', '/api/v1/namespaces/default/configmaps/reviewed')).json as { metadata: { uid: string } };
    assert.equal(request.object?.metadata.uid, stored.metadata.uid);
    assert.equal(request.oldObject, null);
    assert.equal(request.dryRun, false);
    assert.equal(request.options?.kind, 'CreateOptions');
  });

  it("gives a Namespace's requests its own name as their namespace, as kube-apiserver does", async () => {
    await register('Validating', webhook({ rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'] }] }));
    const r = await call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'reviewed-ns' } } });
    assert.equal(r.status, 201, r.text);
    assert.equal(seen[0]?.request.namespace, 'reviewed-ns');
  });

  it('reports a denial as kube-apiserver does, keeping the webhook code', async () => {
    await register('Validating', webhook());
    respond = () => ({ allowed: false, status: { code: 403, message: 'configmaps need an owner' } });
    const r = await createCm('denied');
    assert.equal(r.status, 403);
    assert.equal((r.json as { message: string }).message, 'admission webhook "check.sprout.test" denied the request: configmaps need an owner');
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/denied')).status, 404);
    respond = () => ({ allowed: false });
    const bare = await createCm('denied');
    assert.equal(bare.status, 400);
    assert.equal((bare.json as { message: string }).message, 'admission webhook "check.sprout.test" denied the request without explanation');
  });

  it('applies JSONPatch responses of mutating webhooks and passes warnings on', async () => {
    await register('Mutating', webhook({ name: 'label.sprout.test' }));
    const patch = Buffer.from(JSON.stringify([{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }])).toString('base64');
    respond = () => ({ allowed: true, patchType: 'JSONPatch', patch, warnings: ['labels were added'] });
    const r = await createCm('mutated');
    assert.equal(r.status, 201, r.text);
    assert.deepEqual((r.json as { metadata: { labels: object } }).metadata.labels, { mutated: 'yes' });
    assert.equal(r.headers.warning, '299 - "labels were added"');
  });

  it('sends UPDATE with oldObject and DELETE with the deleted object', async () => {
    await createCm('lifecycle');
    await register('Validating', webhook());
    await call('PATCH', '/api/v1/namespaces/default/configmaps/lifecycle', { body: { data: { a: '2' } }, contentType: 'application/merge-patch+json' });
    await call('DELETE', '/api/v1/namespaces/default/configmaps/lifecycle');
    assert.deepEqual(seen.map((s) => s.request.operation), ['UPDATE', 'DELETE']);
    const [update, del] = seen.map((s) => s.request);
    assert.equal((update?.oldObject?.data as { a: string }).a, '1');
    assert.equal((update?.object?.data as { a: string }).a, '2');
    assert.equal(del?.object, null);
    assert.equal(del?.oldObject?.metadata.name, 'lifecycle');
    assert.equal(del?.options?.kind, 'DeleteOptions');
  });

  it('skips objects and namespaces the selectors exclude', async () => {
    await register('Validating', webhook({
      objectSelector: { matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
    }));
    await createCm('skipped', { skip: 'true' });
    assert.equal(seen.length, 0, 'objectSelector excluded it');
    await createCm('checked-ns');
    assert.equal(seen.length, 0, 'the namespace lacks the label');
    await call('PATCH', '/api/v1/namespaces/default', { body: { metadata: { labels: { 'kubernetes.io/metadata.name': 'default' } } }, contentType: 'application/merge-patch+json' });
    await createCm('checked');
    assert.equal(seen.length, 1);
  });

  it('resolves service references and verifies caBundle against the service name', async () => {
    await register('Validating', webhook({ clientConfig: { service: { namespace: 'webhooks', name: 'hook', path: '/svc' }, caBundle: ca.certBase64 } }));
    assert.equal((await createCm('via-service')).status, 201);
    assert.equal(seen[0]?.path, '/svc');
  });

  it('fails closed or open per failurePolicy when the webhook cannot be trusted or reached', async () => {
    const other = createCertificateAuthority();
    await register('Validating', webhook({ clientConfig: { url: `https://127.0.0.1:${hookPort}/`, caBundle: other.certBase64 } }));
    const r = await createCm('untrusted');
    assert.equal(r.status, 500);
    assert.match((r.json as { message: string }).message, /^Internal error occurred: failed calling webhook "check.sprout.test": failed to call webhook: Post "https:\/\/127\.0\.0\.1:\d+\/\?timeout=1s": tls: failed to verify certificate: x509: certificate signed by unknown authority$/);
    await call('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/validating-test');
    await register('Validating', webhook({ failurePolicy: 'Ignore', clientConfig: { url: 'https://127.0.0.1:1/' } }));
    assert.equal((await createCm('ignored')).status, 201);
  });

  it('times out after timeoutSeconds', async () => {
    await register('Validating', webhook());
    respond = () => 'hang';
    const r = await createCm('slow');
    assert.equal(r.status, 500);
    assert.match((r.json as { message: string }).message, /context deadline exceeded$/);
  });

  it('rejects dry runs for webhooks with side effects', async () => {
    await register('Validating', webhook({ sideEffects: 'Unknown' }));
    const r = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } } });
    assert.equal(r.status, 400);
    assert.equal((r.json as { message: string }).message, 'admission webhook "check.sprout.test" does not support dry run');
  });
});
