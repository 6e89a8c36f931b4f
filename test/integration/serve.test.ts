// Two replicas of Sprout's server side on one API server, through the real client (KubeClient over
// HTTPS): both serve the webhook, one leads; when the leader stops, the other takes over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer } from '../../src/cluster/http/index.js';
import { KubeClient } from '../../src/cluster/kube/index.js';
import type { Runtime } from '../../src/main/runtime.js';
import { startRuntime } from '../../src/main/runtime.js';
import { ensureTlsSecret } from '../../src/main/tls-secret.js';
import { systemClock } from '../../src/platform/clock.js';
import { silentLogger } from '../../src/platform/logger.js';
import { apply, eventually, waitFor } from './controller/harness.js';

const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: quota}
spec:
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
`;

test('two replicas share one TLS secret and one leader; the follower takes over when the leader stops', async () => {
  const server = await startLocalServer();
  const replicas: Runtime[] = [];
  try {
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
    const hosts = ['localhost', '127.0.0.1'];
    for (const id of ['a', 'b']) {
      const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
      const tls = await ensureTlsSecret(client, 'sprout', 'sprout-tls', hosts, Date.now());
      replicas.push(
        await startRuntime({
          cluster: client,
          clock: systemClock,
          logger: silentLogger(),
          namespace: 'sprout',
          webhook: { host: '127.0.0.1', port: 0, endpoint: (p) => ({ url: `https://127.0.0.1:${p}` }), hosts },
          tls,
          leaderElection: true,
          identity: id,
          lease: { durationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 },
        }),
      );
    }
    const [a, b] = replicas as [Runtime, Runtime];
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'sprout', name: 'sprout-controller' };
    const first = await eventually(server.cluster, lease, (l) => Boolean((l['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity));
    const leader = (first['spec'] as { holderIdentity: string }).holderIdentity;
    const secrets = (await server.cluster.list({ apiVersion: 'v1', kind: 'Secret' }, { namespace: 'sprout' })).items;
    assert.equal(secrets.length, 1, 'one shared TLS secret');

    await apply(server.cluster, policy);
    // As with Kyverno, a policy acts on triggers admitted once it is Ready.
    await eventually(server.cluster, { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'quota' }, (p) => JSON.stringify(p['status'] ?? {}).includes('"Ready"'));
    await apply(server.cluster, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n');
    await eventually(server.cluster, { apiVersion: 'v1', kind: 'ResourceQuota', namespace: 'team-a', name: 'default-quota' });

    const [stopping, staying] = leader === 'a' ? [a, b] : [b, a];
    await stopping.stop();
    replicas.splice(replicas.indexOf(stopping), 1);
    await waitFor(async () => {
      const l = await server.cluster.get(lease);
      return (l['spec'] as { holderIdentity?: string }).holderIdentity === (leader === 'a' ? 'b' : 'a');
    }, 'the other replica to lead', 10_000);
    await apply(server.cluster, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b}\n');
    await eventually(server.cluster, { apiVersion: 'v1', kind: 'ResourceQuota', namespace: 'team-b', name: 'default-quota' });
    assert.ok(staying.controller.hasSynced());
  } finally {
    for (const r of replicas) await r.stop();
    await server.close();
  }
});
