// The report controller on the in-memory cluster: a background scan of existing resources writes
// polr-ns-<ns> / clusterpolicyreport, which follow resource and policy changes; admission results of
// background: false policies are recorded too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/kube.js';
import type { AdmissionRequest } from '../../../src/api/admission.js';
import { NotFoundError } from '../../../src/cluster/errors.js';
import { MemoryCluster } from '../../../src/cluster/memory/index.js';
import { PolicyStore } from '../../../src/controller/policy-store.js';
import { ReportController } from '../../../src/controller/reports/report-controller.js';
import { admissionValidate } from '../../../src/pipeline/admission.js';
import { emptyLookup } from '../../../src/engine/env.js';
import { systemClock } from '../../../src/platform/clock.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { yaml } from '../controller/harness.js';

const POLICY = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
  annotations:
    policies.kyverno.io/category: Best Practices
    policies.kyverno.io/severity: medium
spec:
  validationFailureAction: Audit
  rules:
  - name: check-team
    match: {any: [{resources: {kinds: [ConfigMap, Namespace]}}]}
    validate:
      message: label team is required
      pattern: {metadata: {labels: {team: "?*"}}}
`;

interface Report extends KubeObject {
  results?: { policy: string; rule: string; result: string; message: string; source: string; category?: string; severity?: string; scored: boolean; resources: { kind: string; name: string; namespace?: string; uid?: string }[]; timestamp: { seconds: number; nanos: number } }[];
  summary?: Record<string, number>;
}

function setup() {
  const cluster = new MemoryCluster();
  const policies = new PolicyStore();
  const listeners: (() => void)[] = [];
  const reports = new ReportController({
    cluster,
    clock: systemClock,
    logger: silentLogger(),
    policies,
    onPolicyChange: (l) => listeners.push(l),
    batchMs: 10,
  });
  const setPolicies = (objs: KubeObject[], remove: KubeObject[] = []): void => {
    for (const o of objs) policies.upsert(o);
    for (const o of remove) policies.remove(o);
    for (const l of listeners) l();
  };
  const abort = new AbortController();
  const running = reports.run(abort.signal);
  return { cluster, policies, reports, setPolicies, stop: async () => { abort.abort(); await running; } };
}

async function eventually<T>(get: () => Promise<T | undefined>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await get();
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const getReport = (cluster: MemoryCluster, kind: string, name: string, namespace?: string) => async (): Promise<Report | undefined> => {
  try {
    return (await cluster.get({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind, name, ...(namespace ? { namespace } : {}) }));
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
};

test('background scan writes per-namespace and cluster reports that follow changes', async () => {
  const s = setup();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a' } } });
    const good = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good', namespace: 'team-a', labels: { team: 'a' } } });
    const bad = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'team-a' } });
    s.setPolicies(yaml(POLICY));

    const polr = await eventually(getReport(s.cluster, 'PolicyReport', 'polr-ns-team-a', 'team-a'), (r) => (r.results?.length ?? 0) === 2, 'namespace report');
    assert.deepEqual(polr.summary, { pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    assert.equal(polr.metadata.labels?.['app.kubernetes.io/managed-by'], 'kyverno');
    const failed = polr.results?.find((r) => r.result === 'fail');
    assert.deepEqual(
      { ...failed, timestamp: undefined },
      {
        policy: 'require-team',
        rule: 'check-team',
        result: 'fail',
        // No labels at all: Kyverno reports the deepest path that exists.
        message: 'validation error: label team is required. rule check-team failed at path /metadata/labels/',
        source: 'kyverno',
        scored: true,
        category: 'Best Practices',
        severity: 'medium',
        resources: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'bad', namespace: 'team-a', uid: bad.metadata.uid }],
        timestamp: undefined,
      },
    );
    assert.equal(typeof failed?.timestamp.seconds, 'number');
    assert.ok(polr.results?.some((r) => r.result === 'pass' && r.resources[0]?.uid === good.metadata.uid));

    const cpolr = await eventually(getReport(s.cluster, 'ClusterPolicyReport', 'clusterpolicyreport'), (r) => (r.results?.length ?? 0) >= 1, 'cluster report');
    assert.ok(cpolr.results?.some((r) => r.resources[0]?.kind === 'Namespace' && r.resources[0]?.name === 'team-a' && r.result === 'pass'));

    // Fixing the resource turns the failure into a pass; deleting one drops its result.
    await s.cluster.update({ ...bad, metadata: { ...bad.metadata, labels: { team: 'a' } } });
    await eventually(getReport(s.cluster, 'PolicyReport', 'polr-ns-team-a', 'team-a'), (r) => r.summary?.['pass'] === 2 && r.summary['fail'] === 0, 'fixed resource');
    await s.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'good', namespace: 'team-a' });
    await eventually(getReport(s.cluster, 'PolicyReport', 'polr-ns-team-a', 'team-a'), (r) => r.results?.length === 1, 'deleted resource');

    // Deleting the policy empties the reports, which are then removed.
    s.setPolicies([], yaml(POLICY));
    await eventually(async () => ((await getReport(s.cluster, 'PolicyReport', 'polr-ns-team-a', 'team-a')()) === undefined ? true : undefined), Boolean, 'report deleted');
  } finally {
    await s.stop();
  }
});

test('a policy change rescans existing resources; background: false policies are not scanned', async () => {
  const s = setup();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
    await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns1' } });
    const [noBackground] = yaml(POLICY.replace('validationFailureAction: Audit', 'background: false'));
    if (!noBackground) throw new Error('no policy');
    s.setPolicies([noBackground]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await getReport(s.cluster, 'PolicyReport', 'polr-ns-ns1', 'ns1')(), undefined);

    // Admission results still reach the report.
    const cm = (await s.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'ns1' }));
    const req: AdmissionRequest = {
      uid: 'u',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      operation: 'CREATE',
      namespace: 'ns1',
      name: 'c',
      userInfo: {},
      object: cm,
    };
    const results = await admissionValidate(req, { userInfo: {}, roles: [], clusterRoles: [] }, { policies: s.policies, env: { now: () => 0, random: () => 0.5, lookup: emptyLookup } });
    s.reports.recordAdmission(req, results);
    const r1 = await eventually(getReport(s.cluster, 'PolicyReport', 'polr-ns-ns1', 'ns1'), (r) => r.results?.length === 1, 'admission result');
    assert.equal(r1.results?.[0]?.result, 'fail');

    // Turning background on scans what exists.
    s.setPolicies(yaml(POLICY));
    const r2 = await eventually(getReport(s.cluster, 'PolicyReport', 'polr-ns-ns1', 'ns1'), (r) => r.results?.[0]?.result === 'fail' && r.results.length === 1, 'rescan');
    assert.equal(r2.results?.[0]?.resources[0]?.uid, cm.metadata.uid);
  } finally {
    await s.stop();
  }
});
