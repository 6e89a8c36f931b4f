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
import type { KubeObject } from '../../src/api/kube.js';
import { apply, eventually, waitFor, yaml } from './controller/harness.js';
import { post } from './webhook/client.js';

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

const hosts = ['localhost', '127.0.0.1'];

/** One replica of `sprout serve`'s runtime, with fast leader election. */
function startReplica(client: KubeClient, identity: string, tls: Awaited<ReturnType<typeof ensureTlsSecret>>): Promise<Runtime> {
  return startRuntime({
    cluster: client,
    clock: systemClock,
    logger: silentLogger(),
    namespace: 'sprout',
    webhook: { host: '127.0.0.1', port: 0, endpoint: (p) => ({ url: `https://127.0.0.1:${p}` }), hosts },
    tls,
    leaderElection: true,
    identity,
    lease: { durationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 },
  });
}

test('two replicas share one TLS secret and one leader; the follower takes over when the leader stops', async () => {
  const server = await startLocalServer();
  const replicas: Runtime[] = [];
  try {
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
    for (const id of ['a', 'b']) {
      const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
      replicas.push(await startReplica(client, id, await ensureTlsSecret(client, 'sprout', 'sprout-tls', hosts, Date.now())));
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

test('a replica that does not lead still enforces validate policies at admission, namespaceSelector included', async () => {
  const server = await startLocalServer();
  const replicas: Runtime[] = [];
  try {
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
    const tls = await ensureTlsSecret(server.cluster, 'sprout', 'sprout-tls', hosts, Date.now());
    for (const id of ['a', 'b']) replicas.push(await startReplica(KubeClient.fromKubeconfig(server.kubeconfigPath), id, tls));
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'sprout', name: 'sprout-controller' };
    const held = await eventually(server.cluster, lease, (l) => Boolean((l['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity));
    const follower = (held['spec'] as { holderIdentity: string }).holderIdentity === 'a' ? replicas[1] : replicas[0];
    assert.ok(follower);
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env: 'prod' } } });
    await server.cluster.create(
      yaml(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-team}
spec:
  validationFailureAction: Enforce
  rules:
  - name: team
    match: {any: [{resources: {kinds: [ConfigMap], namespaceSelector: {matchLabels: {env: prod}}}}]}
    validate: {message: "a team label is required", pattern: {metadata: {labels: {team: "?*"}}}}
`)[0] as KubeObject,
    );
    const review = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'r1',
        kind: { group: '', version: 'v1', kind: 'ConfigMap' },
        resource: { group: '', version: 'v1', resource: 'configmaps' },
        operation: 'CREATE',
        name: 'cm',
        namespace: 'shop',
        userInfo: { username: 'dev' },
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' } },
      },
    });
    let allowed: boolean | undefined;
    await waitFor(async () => {
      const reply = await post(follower.webhookPort, '/validate', review, tls.caPem);
      allowed = (JSON.parse(reply.body) as { response: { allowed: boolean } }).response.allowed;
      return allowed === false;
    }, 'the follower to deny');
    assert.equal(allowed, false);
  } finally {
    for (const r of replicas) await r.stop();
    await server.close();
  }
});
