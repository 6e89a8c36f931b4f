// startRuntime's components on the memory cluster: who renews the TLS Secret, who writes the webhook
// configurations, what a controller-only process serves, and that a replica which does not lead
// publishes the configurations from its own policy cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { KubeObject } from '../api/kube.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { NotFoundError } from '../cluster/errors.js';
import { systemClock } from '../platform/clock.js';
import { silentLogger } from '../platform/logger.js';
import { RESOURCE_VALIDATING } from '../webhook/configurations.js';
import type { RuntimeComponents } from './components.js';
import type { RuntimeOptions } from './runtime.js';
import { startRuntime } from './runtime.js';
import { ensureTlsSecret } from './tls-secret.js';

const NS = 'sprout';
const hosts = ['127.0.0.1'];
const SECRET = { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'sprout-tls' };
const RESOURCE_CFG = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: RESOURCE_VALIDATING };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An Enforce policy on ConfigMaps: the resource webhook configuration routes `configmaps` for it. */
function requireTeamPolicy(): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'require-team' },
    spec: {
      validationFailureAction: 'Enforce',
      rules: [{ name: 'team', match: { any: [{ resources: { kinds: ['ConfigMap'] } }] }, validate: { message: 'team', pattern: { metadata: { labels: { team: '?*' } } } } }],
    },
  };
}

async function clusterWithNamespace(): Promise<MemoryCluster> {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return cluster;
}

function options(cluster: MemoryCluster, extra: Partial<RuntimeOptions>): RuntimeOptions {
  return {
    cluster,
    clock: systemClock,
    logger: silentLogger(),
    namespace: NS,
    webhook: { host: '127.0.0.1', port: 0, endpoint: (p) => ({ url: `https://127.0.0.1:${p}` }), hosts },
    ...extra,
  };
}

async function exists(cluster: MemoryCluster, ref: { apiVersion: string; kind: string; name: string; namespace?: string }): Promise<boolean> {
  try {
    await cluster.get(ref);
    return true;
  } catch (e) {
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}

function httpsGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('startRuntime refuses to run no component at all', async () => {
  const cluster = await clusterWithNamespace();
  await assert.rejects(startRuntime(options(cluster, { components: { webhook: false, controller: false } })), /at least one/);
});

test('a due TLS Secret is renewed by a controller process, never by a webhook-only one', async () => {
  const cases: [RuntimeComponents, boolean][] = [
    [{ webhook: true, controller: false }, false],
    [{ webhook: false, controller: true }, true],
  ];
  for (const [components, renews] of cases) {
    const cluster = await clusterWithNamespace();
    // Issued for other names: the renewer re-issues it at its first check.
    const tls = await ensureTlsSecret(cluster, NS, 'sprout-tls', ['old.sprout.svc'], Date.now());
    const before = (await cluster.get(SECRET)).metadata.resourceVersion;
    const runtime = await startRuntime(
      options(cluster, { components, tls, tlsSecret: { name: 'sprout-tls', selfManaged: true, reloadIntervalMs: 10, checkIntervalMs: 0 } }),
    );
    try {
      await runtime.ready;
      await sleep(200);
      const after = (await cluster.get(SECRET)).metadata.resourceVersion;
      assert.equal(after !== before, renews, JSON.stringify(components));
    } finally {
      await runtime.stop();
    }
  }
});

test('a controller-only process serves probes and metrics, no admission, and writes no webhook configuration', async () => {
  const cluster = await clusterWithNamespace();
  const runtime = await startRuntime(options(cluster, { components: { webhook: false, controller: true } }));
  try {
    await runtime.ready;
    assert.ok(runtime.controller.hasSynced(), 'without leader election the controller runs here and is waited for');
    assert.equal(await httpsGet(runtime.webhookPort, '/healthz'), 200);
    assert.equal(await httpsGet(runtime.webhookPort, '/readyz'), 200);
    assert.equal(await httpsGet(runtime.webhookPort, '/metrics'), 200);
    await sleep(100);
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      assert.deepEqual((await cluster.list({ apiVersion: 'admissionregistration.k8s.io/v1', kind })).items, [], kind);
    }
  } finally {
    await runtime.stop();
  }
});

test('a replica that does not lead publishes the configurations its cached policies need, not an empty set', async () => {
  const cluster = await clusterWithNamespace();
  await cluster.create(requireTeamPolicy());
  // Another replica holds the Lease for a long time, so this one follows throughout.
  const now = new Date(Date.now()).toISOString().replace(/\.\d+Z$/, '.000000Z');
  await cluster.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'sprout-controller', namespace: NS },
    spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 3600, acquireTime: now, renewTime: now, leaseTransitions: 0 },
  });
  for (const components of [undefined, { webhook: true, controller: false }]) {
    const runtime = await startRuntime(options(cluster, { leaderElection: true, identity: 'me', components }));
    try {
      await runtime.ready;
      const cfg = await cluster.get(RESOURCE_CFG);
      const hooks = cfg['webhooks'] as { name: string; rules: { resources: string[] }[]; clientConfig: { url: string } }[];
      const validate = hooks.find((h) => h.name === 'validate.sprout.io');
      assert.deepEqual(validate?.rules.flatMap((r) => r.resources), ['configmaps'], JSON.stringify(components));
      assert.equal(validate?.clientConfig.url, `https://127.0.0.1:${runtime.webhookPort}/validate`);
      assert.equal(runtime.controller.hasSynced(), false, 'it never led');
    } finally {
      await runtime.stop();
    }
    assert.ok(await exists(cluster, RESOURCE_CFG));
  }
});

test('without leader election, a starting replica does not overwrite published rules with an empty set', async () => {
  const cluster = await clusterWithNamespace();
  await cluster.create(requireTeamPolicy());
  const resourcesOf = (cfg: Record<string, unknown>): string[] =>
    ((cfg['webhooks'] ?? []) as { name: string; rules?: { resources: string[] }[] }[])
      .filter((h) => h.name === 'validate.sprout.io')
      .flatMap((h) => (h.rules ?? []).flatMap((r) => r.resources));
  const first = await startRuntime(options(cluster, { leaderElection: false }));
  try {
    await first.ready;
    assert.deepEqual(resourcesOf(await cluster.get(RESOURCE_CFG)), ['configmaps']);
    // Every version of the configuration written while a second replica starts (a rolling update).
    const seen: string[][] = [];
    const stopWatch = new AbortController();
    await cluster.watch(
      { apiVersion: RESOURCE_CFG.apiVersion, kind: RESOURCE_CFG.kind },
      { resourceVersion: (await cluster.get(RESOURCE_CFG)).metadata.resourceVersion },
      (e) => {
        if ((e.type === 'MODIFIED' || e.type === 'ADDED') && e.object.metadata.name === RESOURCE_CFG.name)
          seen.push(resourcesOf(e.object));
      },
      stopWatch.signal,
    );
    const second = await startRuntime(options(cluster, { leaderElection: false }));
    try {
      await second.ready;
      await sleep(100);
    } finally {
      stopWatch.abort();
      await second.stop();
    }
    for (const resources of seen) assert.deepEqual(resources, ['configmaps'], `a written version lacked the rule: ${JSON.stringify(seen)}`);
  } finally {
    await first.stop();
  }
});
