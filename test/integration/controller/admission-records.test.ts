// Durable admission records: a request for a rule that reads the requester is written down before the
// webhook answers, survives the controller being down, is generated from later and then deleted; a
// record whose trigger never appeared is not generated from (Kyverno's rejected-create test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestUser } from '../../../src/api/admission.js';
import type { KubeObject } from '../../../src/api/kube.js';
import { MemoryCluster } from '../../../src/cluster/memory/index.js';
import { GenerateController } from '../../../src/controller/generate-controller.js';
import { UPDATE_REQUEST } from '../../../src/controller/generate/admission-record.js';
import { AdmissionRecords } from '../../../src/controller/generate/admission-records.js';
import { systemClock } from '../../../src/platform/clock.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { Metrics } from '../../../src/platform/metrics.js';
import { PolicyStore } from '../../../src/controller/policy-store.js';
import { apply, eventually, staysGone, waitFor, yaml } from './harness.js';

const policy = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: owner}
spec:
  background: false
  rules:
  - name: owner-cm
    match: {any: [{resources: {kinds: [Namespace]}}]}
    generate:
      apiVersion: v1
      kind: ConfigMap
      name: owner
      namespace: "{{request.object.metadata.name}}"
      data: {data: {user: "{{request.userInfo.username}}"}}
`;
const nancy: RequestUser = { userInfo: { username: 'nancy', groups: ['system:authenticated'] }, roles: [], clusterRoles: [] };

function controllerOn(cluster: MemoryCluster, admissionPolicies?: PolicyStore, namespace = 'sprout'): GenerateController {
  return new GenerateController({
    admissionPolicies,
    cluster,
    clock: systemClock,
    logger: silentLogger(),
    metrics: new Metrics(),
    workers: 2,
    records: new AdmissionRecords(cluster, namespace, silentLogger()),
  });
}

async function records(cluster: MemoryCluster, namespace: string): Promise<KubeObject[]> {
  return (await cluster.list(UPDATE_REQUEST, { namespace })).items;
}

test('a request seen while no replica leads is generated from its record later, then the record goes', async () => {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
  const [policyObject] = yaml(policy);
  assert.ok(policyObject);
  await cluster.create(policyObject);
  // A follower's webhook (policies from its own watch): it writes the record but does not generate.
  const view = new PolicyStore();
  view.upsert(policyObject);
  const follower = controllerOn(cluster, view);
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', uid: 'uid-team-a' } };
  await follower.handleAdmission(
    {
      uid: 'req-1',
      kind: { group: '', version: 'v1', kind: 'Namespace' },
      resource: { group: '', version: 'v1', resource: 'namespaces' },
      operation: 'CREATE',
      name: 'team-a',
      namespace: '',
      userInfo: nancy.userInfo,
      object: ns,
      oldObject: null,
      dryRun: false,
    },
    nancy,
  );
  const [record] = await records(cluster, 'sprout');
  assert.ok(record, 'record written before the webhook answered');
  assert.equal((record['spec'] as { requestType: string }).requestType, 'generate');
  await cluster.create(ns, { uid: 'uid-team-a' });

  // A leader starts, reads the record, generates with the requester, and deletes the record.
  const leader = controllerOn(cluster);
  const abort = new AbortController();
  const running = leader.run(abort.signal);
  try {
    const cm = await eventually(cluster, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'owner' });
    assert.deepEqual(cm['data'], { user: 'nancy' });
    await waitFor(async () => (await records(cluster, 'sprout')).length === 0, 'record deleted');
  } finally {
    abort.abort();
    await running;
  }
});

test("an UpdateRequest (Sprout installed in Kyverno's namespace) naming a trigger uid that does not exist is marked Failed and generates nothing", async () => {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kyverno' } });
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } });
  const controller = controllerOn(cluster, undefined, 'kyverno');
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  try {
    await waitFor(() => controller.hasSynced(), 'sync');
    await apply(cluster, policy);
    await cluster.create({
      ...UPDATE_REQUEST,
      metadata: { name: 'ur-phantom', namespace: 'kyverno' },
      spec: {
        requestType: 'generate',
        policy: 'owner',
        ruleContext: [{ rule: 'owner-cm', trigger: { apiVersion: 'v1', kind: 'Namespace', name: 'team-b', uid: 'phantom' } }],
        context: { userInfo: { userInfo: { username: 'nancy' } }, admissionRequestInfo: { operation: 'CREATE' } },
      },
    });
    await eventually(
      cluster,
      { ...UPDATE_REQUEST, namespace: 'kyverno', name: 'ur-phantom' },
      (o) => (o['status'] as { state?: string } | undefined)?.state === 'Failed',
      'to be Failed',
    );
    assert.equal(
      await staysGone({ cluster, client: cluster, controller, metrics: new Metrics(), stop: () => Promise.resolve() }, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-b', name: 'owner' }),
      true,
    );
  } finally {
    abort.abort();
    await running;
  }
});

test('without the UpdateRequest CRD records are off; discovery is asked again after a minute', async () => {
  const cluster = new MemoryCluster({ sproutCrds: false });
  let now = 0;
  const records = new AdmissionRecords(cluster, 'sprout', silentLogger(), () => now);
  assert.equal(await records.available(), false);
  // Installed later (here: the CRD objects Sprout ships), seen only once the minute is up.
  const shipped = (await new MemoryCluster().list({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' })).items;
  for (const crd of shipped) await cluster.create({ ...crd, metadata: { name: crd.metadata.name } });
  now = 30_000;
  assert.equal(await records.available(), false, 'remembered for a minute');
  now = 61_000;
  assert.equal(await records.available(), true);
});
