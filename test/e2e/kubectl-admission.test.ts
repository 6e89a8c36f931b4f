// kubectl through the embedded server's webhook admission: the webhook sees kubectl's
// impersonated user, and kubectl prints denials and warnings as it does against kube-apiserver.
// Local only: a real cluster cannot reach a webhook served by this test process.
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AdmissionRequest } from '../../src/api/admission.js';
import { createCertificateAuthority, issueCertificate } from '../../src/cluster/http/index.js';
import type { Target } from './target.js';
import { kubectlAvailable, openTarget } from './target.js';

const available = await kubectlAvailable();
const external = process.env.KUBECONFIG !== undefined && process.env.KUBECONFIG !== '';
const skip = !available ? 'kubectl is not installed' : external ? 'needs the embedded server: a real cluster cannot reach this test\'s webhook' : false;

describe('kubectl with admission webhooks', { skip }, () => {
  const ca = createCertificateAuthority();
  const cert = issueCertificate(ca, { commonName: 'hook', hosts: ['127.0.0.1'] });
  const requests: AdmissionRequest[] = [];
  let hook: Server;
  let t: Target;

  before(async () => {
    hook = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { request } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: AdmissionRequest };
        requests.push(request);
        const denied = request.object?.metadata.labels?.forbidden === 'true';
        const response = denied
          ? { uid: request.uid, allowed: false, status: { code: 403, reason: 'Forbidden', message: 'label forbidden=true is not allowed' } }
          : { uid: request.uid, allowed: true, warnings: ['checked by the e2e webhook'] };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    t = await openTarget();
    const port = (hook.address() as AddressInfo).port;
    const config = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: e2e-check}
webhooks:
- name: check.e2e.sprout.dev
  clientConfig: {url: "https://127.0.0.1:${port}/validate", caBundle: ${ca.certBase64}}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]
  sideEffects: None
  admissionReviewVersions: [v1]
`;
    const r = await t.kubectl(['apply', '-f', '-'], config);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await t.close();
    hook.closeAllConnections();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('sends the impersonated user to the webhook and prints its warnings', async () => {
    const r = await t.kubectl(['--as', 'jane', '--as-group', 'devs', 'create', 'configmap', 'from-jane', '--from-literal=a=b']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: checked by the e2e webhook/);
    const seen = requests.find((q) => q.name === 'from-jane');
    assert.deepEqual(seen?.userInfo, { username: 'jane', groups: ['devs', 'system:authenticated'] });
    assert.equal(seen?.operation, 'CREATE');
  });

  it('prints a denial the way kube-apiserver words it', async () => {
    const r = await t.kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nope, namespace: default, labels: {forbidden: "true"}}\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(Forbidden\).*admission webhook "check.e2e.sprout.dev" denied the request: label forbidden=true is not allowed/);
  });
});
