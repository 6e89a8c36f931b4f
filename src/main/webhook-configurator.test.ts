// The configurator's writes: requests made while one waits fold into it, and a write that loses a
// race with another replica (a conflict) is recomputed instead of dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { WriteOptions } from '../cluster/client.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { silentLogger } from '../platform/logger.js';
import { RESOURCE_VALIDATING } from '../webhook/configurations.js';
import { WebhookConfigurator } from './webhook-configurator.js';

const REF = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: RESOURCE_VALIDATING };
const target = { endpoint: { url: 'https://127.0.0.1:1' }, caPem: 'ca', namespace: 'sprout' };

const policy = (kind: string): KyvernoPolicy =>
  ({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: `p-${kind}` },
    spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: [kind] } }] }, validate: { pattern: { metadata: { name: '?*' } } } }] },
  }) as unknown as KyvernoPolicy;

/** Another replica writes each webhook configuration just before this one's first update of it lands. */
class RacingCluster extends MemoryCluster {
  raced = 0;
  override async update(obj: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    if (obj.kind === 'ValidatingWebhookConfiguration' && this.raced === 0) {
      this.raced++;
      const live = await this.get({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? '' });
      await super.update({ ...live, metadata: { ...live.metadata, annotations: { other: 'replica' } } });
    }
    return super.update(obj, options);
  }
}

const resourcesOf = (cfg: KubeObject): string[] =>
  (cfg['webhooks'] as { rules: { resources: string[] }[] }[]).flatMap((h) => h.rules.flatMap((r) => r.resources));

test('a write that conflicts with another replica is recomputed and lands', async () => {
  const cluster = new RacingCluster();
  let policies: KyvernoPolicy[] = [];
  const configurator = new WebhookConfigurator({ cluster, logger: silentLogger(), policies: () => policies, target });
  configurator.request();
  await configurator.settled();
  assert.deepEqual(resourcesOf(await cluster.get(REF)), []);
  policies = [policy('ConfigMap')];
  configurator.request();
  await configurator.settled();
  assert.equal(cluster.raced, 1, 'the race happened');
  assert.deepEqual(resourcesOf(await cluster.get(REF)), ['configmaps']);
});

test('requests made while a write waits fold into it; the latest policies and target win', async () => {
  const cluster = new MemoryCluster();
  let reads = 0;
  let policies: KyvernoPolicy[] = [];
  const configurator = new WebhookConfigurator({
    cluster,
    logger: silentLogger(),
    policies: () => {
      reads++;
      return policies;
    },
    target,
  });
  configurator.request();
  policies = [policy('ConfigMap')];
  configurator.request();
  policies = [policy('ConfigMap'), policy('Secret')];
  configurator.request();
  configurator.setTarget({ ...target, caPem: 'ca2' });
  await configurator.settled();
  assert.equal(reads, 1, 'three requests, one write');
  const cfg = await cluster.get(REF);
  assert.deepEqual(resourcesOf(cfg).sort(), ['configmaps', 'secrets']);
  const caBundles = (cfg['webhooks'] as { clientConfig: { caBundle: string } }[]).map((h) => h.clientConfig.caBundle);
  assert.deepEqual([...new Set(caBundles)], [Buffer.from('ca2').toString('base64')]);
});
