// `sprout serve --components`: the webhook and the controller as processes of their own on one API
// server (the embedded one, through the real client), as the chart runs them with
// controller.separate=true. The webhook never campaigns for the Lease and owns the webhook
// configurations; the controller leads, generates (also from the admission records the webhook
// writes) and never touches the configurations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/kube.js';
import { startLocalServer } from '../../src/cluster/http/index.js';
import type { LocalServer } from '../../src/cluster/http/index.js';
import { KubeClient } from '../../src/cluster/kube/index.js';
import type { RuntimeComponents } from '../../src/main/components.js';
import type { Runtime } from '../../src/main/runtime.js';
import { startRuntime } from '../../src/main/runtime.js';
import type { TlsBundle } from '../../src/main/tls-secret.js';
import { ensureTlsSecret } from '../../src/main/tls-secret.js';
import { systemClock } from '../../src/platform/clock.js';
import { silentLogger } from '../../src/platform/logger.js';
import { RESOURCE_VALIDATING } from '../../src/webhook/configurations.js';
import { apply, eventually, tryGet, waitFor, yaml } from './controller/harness.js';

const hosts = ['localhost', '127.0.0.1'];
const WEBHOOK_ONLY: RuntimeComponents = { webhook: true, controller: false };
const CONTROLLER_ONLY: RuntimeComponents = { webhook: false, controller: true };
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'sprout', name: 'sprout-controller' };
const RESOURCE_CFG = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: RESOURCE_VALIDATING };

/** One `sprout serve` process with leader election on (as the chart runs it), fast lease timing. */
function startProcess(server: LocalServer, identity: string, tls: TlsBundle, components: RuntimeComponents): Promise<Runtime> {
  return startRuntime({
    cluster: KubeClient.fromKubeconfig(server.kubeconfigPath),
    clock: systemClock,
    logger: silentLogger(),
    namespace: 'sprout',
    webhook: { host: '127.0.0.1', port: 0, endpoint: (p) => ({ url: `https://127.0.0.1:${p}` }), hosts },
    tls,
    leaderElection: true,
    identity,
    lease: { durationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 },
    components,
  });
}

interface Hook {
  name: string;
  clientConfig: { url?: string };
  rules: { resources: string[] }[];
}

const hooksOf = (cfg: KubeObject | undefined): Hook[] => (cfg?.['webhooks'] ?? []) as Hook[];
const hookFor = (cfg: KubeObject | undefined, name: string, resource: string): Hook | undefined =>
  hooksOf(cfg).find((h) => h.name === name && h.rules.some((r) => r.resources.includes(resource)));

async function withServer(body: (server: LocalServer, tls: TlsBundle, started: Runtime[]) => Promise<void>): Promise<void> {
  const server = await startLocalServer();
  const started: Runtime[] = [];
  try {
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
    const tls = await ensureTlsSecret(server.cluster, 'sprout', 'sprout-tls', hosts, Date.now());
    await body(server, tls, started);
  } finally {
    for (const r of started) await r.stop();
    await server.close();
  }
}

test('a webhook-only process never takes the Lease, publishes the configurations and enforces a policy', () =>
  withServer(async (server, tls, started) => {
    const webhook = await startProcess(server, 'webhook-0', tls, WEBHOOK_ONLY);
    started.push(webhook);
    await webhook.ready;
    assert.deepEqual(webhook.components, WEBHOOK_ONLY);
    // No controller runs anywhere, so the policy never turns Ready: create it directly.
    await server.cluster.create(
      yaml(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-team}
spec:
  validationFailureAction: Enforce
  rules:
  - name: team
    match: {any: [{resources: {kinds: [ConfigMap]}}]}
    validate: {message: "a team label is required", pattern: {metadata: {labels: {team: "?*"}}}}
`)[0] as KubeObject,
    );
    const cfg = await eventually(server.cluster, RESOURCE_CFG, (c) => hookFor(c, 'validate.sprout.io', 'configmaps') !== undefined, 'to route ConfigMaps to the webhook');
    assert.equal(hookFor(cfg, 'validate.sprout.io', 'configmaps')?.clientConfig.url, `https://127.0.0.1:${webhook.webhookPort}/validate`);

    // Through the API server: the webhook-only process answers and denies.
    const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
    await assert.rejects(
      client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'no-team', namespace: 'default' } }),
      /a team label is required/,
    );
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'with-team', namespace: 'default', labels: { team: 'a' } } });

    // Several retry periods later nobody holds (or even created) the Lease, and nothing was generated.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await tryGet(server.cluster, LEASE), undefined);
    assert.equal(webhook.controller.hasSynced(), false, 'the generate controller never ran');
  }));

test('a controller-only process generates for a namespace admitted by a webhook-only one, and leaves the configurations to it', () =>
  withServer(async (server, tls, started) => {
    const controller = await startProcess(server, 'controller-0', tls, CONTROLLER_ONLY);
    started.push(controller);
    await controller.ready;
    await eventually(server.cluster, LEASE, (l) => (l['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity === 'controller-0', 'held by the controller');
    await waitFor(() => controller.controller.hasSynced(), 'the leader to sync');
    assert.equal(await tryGet(server.cluster, RESOURCE_CFG), undefined, 'the controller writes no webhook configuration');

    const webhook = await startProcess(server, 'webhook-0', tls, WEBHOOK_ONLY);
    started.push(webhook);
    await webhook.ready;
    // The owner rule reads request.userInfo: only the admission record the webhook writes carries it.
    await apply(
      server.cluster,
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: team-defaults}
spec:
  background: false
  rules:
  - name: quota
    match: {any: [{resources: {kinds: [Namespace], names: ["team-*"]}}]}
    generate:
      synchronize: true
      apiVersion: v1
      kind: ResourceQuota
      name: default-quota
      namespace: "{{request.object.metadata.name}}"
      data: {spec: {hard: {pods: "10"}}}
  - name: owner
    match: {any: [{resources: {kinds: [Namespace], names: ["team-*"]}}]}
    generate:
      apiVersion: v1
      kind: ConfigMap
      name: owner
      namespace: "{{request.object.metadata.name}}"
      data: {data: {user: "{{request.userInfo.username}}"}}
`,
    );
    const cfg = await eventually(server.cluster, RESOURCE_CFG, (c) => hookFor(c, 'generate.sprout.io', 'namespaces') !== undefined, 'to route Namespaces to the webhook');
    assert.equal(hookFor(cfg, 'generate.sprout.io', 'namespaces')?.clientConfig.url, `https://127.0.0.1:${webhook.webhookPort}/validate`);

    await KubeClient.fromKubeconfig(server.kubeconfigPath).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    await eventually(server.cluster, { apiVersion: 'v1', kind: 'ResourceQuota', namespace: 'team-a', name: 'default-quota' });
    const owner = await eventually(server.cluster, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'owner' });
    assert.deepEqual(owner['data'], { user: 'kubernetes-admin' });

    // Every configuration still points at the webhook process, never at the controller's port.
    const urls = hooksOf(await server.cluster.get(RESOURCE_CFG)).map((h) => h.clientConfig.url ?? '');
    assert.ok(urls.length > 0);
    for (const url of urls) assert.ok(url.startsWith(`https://127.0.0.1:${webhook.webhookPort}/`), url);
    const lease = await server.cluster.get(LEASE);
    assert.equal((lease['spec'] as { holderIdentity?: string }).holderIdentity, 'controller-0');
  }));
