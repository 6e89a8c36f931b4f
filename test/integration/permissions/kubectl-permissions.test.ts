// Sprout's own permissions through the real kubectl: `kubectl auth can-i` against the embedded API
// server (RBAC over stored roles, aggregation included), a generate policy refused at `kubectl apply`
// when Sprout may not manage its targets, and a policy that got in anyway (created while the webhook
// was away) reported Ready False with the same message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../src/api/kube.js';
import { createCertificateAuthority, issueCertificate, startLocalServer } from '../../../src/cluster/http/index.js';
import type { LocalServer } from '../../../src/cluster/http/index.js';
import { startLocalStack } from '../../../src/main/local-stack.js';
import { builtinScopeOf } from '../../../src/policy/builtin-scopes.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { Metrics } from '../../../src/platform/metrics.js';
import { parseYamlDocuments } from '../../../src/policy/yaml.js';
import { applyConfigurations, desiredConfigurations, POLICY_VALIDATING } from '../../../src/webhook/configurations.js';
import { admissionRoutes } from '../../../src/webhook/handlers.js';
import { WebhookServer } from '../../../src/webhook/server.js';
import type { KubectlResult } from '../../e2e/target.js';
import { kubectlAvailable, kubectlWith } from '../../e2e/target.js';

const skip = !(await kubectlAvailable()) && 'kubectl not installed';
const SPROUT_SA = 'system:serviceaccount:sprout:sprout';

const GRANT = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "sprout:generate"}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.kyverno.io/aggregate-to-background-controller: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "sprout:generate"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "sprout:generate"}
subjects: [{kind: ServiceAccount, name: sprout, namespace: sprout}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: sprout-serviceaccounts
  labels: {rbac.kyverno.io/aggregate-to-background-controller: "true"}
rules:
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [get, create, update, delete]
`;

// Kyverno's validation/clusterpolicy/permissions/no-permission shape: a generated ServiceAccount.
const POLICY = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: generate-sa}
spec:
  rules:
  - name: sa
    match: {any: [{resources: {kinds: [Namespace]}}]}
    generate:
      apiVersion: v1
      kind: ServiceAccount
      name: bot
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      data: {}
`;

type Kubectl = (args: string[], stdin?: string) => Promise<KubectlResult>;

async function withKubectl(kubeconfig: string, body: (kubectl: Kubectl) => Promise<void>): Promise<void> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'sprout-kubectl-'));
  try {
    await body(kubectlWith(kubeconfig, cacheDir));
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** kubectl's answer: "yes", "no", or "no - <reason>"; the exit code says the same. */
async function canI(kubectl: Kubectl, args: string[]): Promise<string> {
  const r = await kubectl(['auth', 'can-i', ...args]);
  assert.equal(r.code === 0, r.stdout.trim() === 'yes', `${r.stdout} ${r.stderr}`);
  return r.stdout.trim();
}

describe('kubectl auth can-i on the embedded server', { skip }, () => {
  let server: LocalServer;
  before(async () => {
    server = await startLocalServer({ clusterOptions: { access: { rbac: true } } });
  });
  after(() => server.close());

  it('answers for the caller, for an impersonated service account, and follows RBAC as it changes', async () => {
    await withKubectl(server.kubeconfigPath, async (kubectl) => {
      assert.equal(await canI(kubectl, ['create', 'serviceaccounts']), 'yes');
      assert.equal(await canI(kubectl, ['create', 'serviceaccounts', '-n', 'team', '--as', SPROUT_SA]), 'no');
      const applied = await kubectl(['apply', '-f', '-'], GRANT);
      assert.equal(applied.code, 0, applied.stderr);
      assert.equal(await canI(kubectl, ['create', 'serviceaccounts', '-n', 'team', '--as', SPROUT_SA]), 'yes');
      assert.equal(await canI(kubectl, ['delete', 'serviceaccounts', '--all-namespaces', '--as', SPROUT_SA]), 'yes');
      assert.equal(await canI(kubectl, ['create', 'secrets', '-n', 'team', '--as', SPROUT_SA]), 'no');
      const lift = server.cluster.denyAccess({ resource: 'serviceaccounts', verb: 'delete', namespace: 'team' });
      assert.equal(
        await canI(kubectl, ['delete', 'serviceaccounts', '-n', 'team', '--as', SPROUT_SA]),
        "no - denied by the memory cluster's access rules",
      );
      assert.equal(await canI(kubectl, ['delete', 'serviceaccounts', '-n', 'other', '--as', SPROUT_SA]), 'yes');
      lift();
      assert.equal(await canI(kubectl, ['delete', 'serviceaccounts', '-n', 'team', '--as', SPROUT_SA]), 'yes');
    });
  });
});

describe('kubectl apply of a generate policy Sprout may not serve', { skip }, () => {
  let server: LocalServer;
  let webhook: WebhookServer;
  before(async () => {
    server = await startLocalServer();
    const ca = createCertificateAuthority({ commonName: 'permissions-test-ca' });
    const serving = issueCertificate(ca, { commonName: '127.0.0.1', hosts: ['127.0.0.1'] });
    webhook = new WebhookServer({
      tls: { key: serving.keyPem, cert: serving.certPem },
      routes: admissionRoutes({ scopeOf: builtinScopeOf, access: server.cluster }),
      logger: silentLogger(),
      metrics: new Metrics(),
      ready: () => true,
      failurePolicy: () => 'Fail',
    });
    const { port } = await webhook.listen();
    const target = { endpoint: { url: `https://127.0.0.1:${port}` }, caPem: ca.certPem, namespace: 'sprout' };
    const desired = await desiredConfigurations([], server.cluster, target);
    await applyConfigurations(server.cluster, desired.filter((c) => c.metadata.name === POLICY_VALIDATING));
  });
  after(async () => {
    await webhook.close(0);
    await server.close();
  });

  it('is refused with the missing permissions, and accepted once they are granted', async () => {
    await withKubectl(server.kubeconfigPath, async (kubectl) => {
      const lift = server.cluster.denyAccess({ resource: 'serviceaccounts', verb: 'delete' });
      const refused = await kubectl(['apply', '-f', '-'], POLICY);
      assert.notEqual(refused.code, 0);
      assert.match(
        refused.stderr,
        /admission webhook "policy\.sprout\.io" denied the request: policy generate-sa cannot be applied: spec\.rules\[0\]\.generate: Sprout's service account lacks permission to delete serviceaccounts in all namespaces; grant it with a ClusterRole labelled rbac\.sprout\.io\/aggregate-to-generate: "true"/,
      );
      assert.notEqual((await kubectl(['get', 'cpol', 'generate-sa'])).code, 0);
      lift();
      const accepted = await kubectl(['apply', '-f', '-'], POLICY);
      assert.equal(accepted.code, 0, accepted.stderr);
    });
  });
});

describe('a policy that got past the webhook', { skip }, () => {
  it('reports Ready False with the missing permissions in kubectl get', async () => {
    const stack = await startLocalStack({ logger: silentLogger() });
    try {
      stack.server.cluster.denyAccess({ resource: 'serviceaccounts', verb: 'create' });
      // Created behind admission's back, as when the policy webhook was down.
      const [doc] = parseYamlDocuments(POLICY, 'policy.yaml');
      await stack.server.cluster.create(doc?.value as unknown as KubeObject);
      await withKubectl(stack.server.kubeconfigPath, async (kubectl) => {
        const jsonpath = ['get', 'cpol', 'generate-sa', '-o', 'jsonpath={.status.conditions[0].status} {.status.conditions[0].message}'];
        let shown = '';
        for (let i = 0; i < 100 && !shown.startsWith('False'); i++) {
          shown = (await kubectl(jsonpath)).stdout;
          if (!shown.startsWith('False')) await new Promise((r) => setTimeout(r, 50));
        }
        assert.match(shown, /^False spec\.rules\[0\]\.generate: Sprout's service account lacks permission to create serviceaccounts in all namespaces; /);
      });
    } finally {
      await stack.close();
    }
  });
});
