// The report controller on the in-memory cluster: one report per resource (a PolicyReport in the
// resource's namespace, a ClusterPolicyReport for a cluster-scoped one), named by the resource's uid,
// owned by it and scoped to it. Reports follow resource and policy changes; admission results of
// background: false policies are recorded too; the per-namespace reports of older versions go at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/kube.js';
import type { AdmissionRequest } from '../../../src/api/admission.js';
import { MemoryCluster } from '../../../src/cluster/memory/index.js';
import { PolicyStore } from '../../../src/controller/policy-store.js';
import type { ReportControllerOptions } from '../../../src/controller/reports/report-controller.js';
import { ReportController } from '../../../src/controller/reports/report-controller.js';
import { admissionValidate } from '../../../src/pipeline/admission.js';
import { emptyLookup } from '../../../src/engine/env.js';
import { systemClock } from '../../../src/platform/clock.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { tryGet, waitFor, yaml } from '../controller/harness.js';

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

interface Result {
  policy: string;
  rule: string;
  result: string;
  message: string;
  source: string;
  category?: string;
  severity?: string;
  scored: boolean;
  properties?: Record<string, string>;
  resources?: unknown;
  timestamp: { seconds: number; nanos: number };
}

interface Report extends KubeObject {
  scope?: Record<string, string>;
  results?: Result[];
  summary?: Record<string, number>;
}

const API = 'wgpolicyk8s.io/v1alpha2';
const MANAGED = { 'app.kubernetes.io/managed-by': 'kyverno' };

function setup(extra: Partial<ReportControllerOptions> = {}) {
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
    ...extra,
  });
  const setPolicies = (objs: KubeObject[], remove: KubeObject[] = []): void => {
    for (const o of objs) policies.upsert(o);
    for (const o of remove) policies.remove(o);
    for (const l of listeners) l();
  };
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  const start = (): void => {
    running = reports.run(abort.signal);
  };
  const stop = async (): Promise<void> => {
    abort.abort();
    await running;
  };
  return { cluster, policies, reports, setPolicies, start, stop };
}

/** The report of a resource, found where Kyverno puts it: by the resource's uid. */
const reportOf = (cluster: MemoryCluster, obj: KubeObject) => async (): Promise<Report | undefined> =>
  (await tryGet(cluster, {
    apiVersion: API,
    kind: obj.kind === 'Namespace' ? 'ClusterPolicyReport' : 'PolicyReport',
    name: obj.metadata.uid ?? '',
    ...(obj.kind === 'Namespace' ? {} : { namespace: obj.metadata.namespace }),
  }));

async function eventually(get: () => Promise<Report | undefined>, ok: (r: Report) => boolean, what: string): Promise<Report> {
  let last: Report | undefined;
  await waitFor(async () => {
    last = await get();
    return last !== undefined && ok(last);
  }, `${what}; last: ${JSON.stringify(last)}`);
  if (!last) throw new Error(what);
  return last;
}

const gone = (get: () => Promise<Report | undefined>, what: string): Promise<void> =>
  waitFor(async () => (await get()) === undefined, what);

async function listReports(cluster: MemoryCluster, kind: string, namespace?: string): Promise<KubeObject[]> {
  return (await cluster.list({ apiVersion: API, kind }, namespace ? { namespace } : {})).items;
}

test('background scan writes one report per resource, named by uid, with scope and owner', async () => {
  const s = setup();
  s.start();
  try {
    const ns = await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a' } } });
    const good = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good', namespace: 'team-a', labels: { team: 'a' } } });
    const bad = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'team-a' } });
    s.setPolicies(yaml(POLICY));

    const badReport = await eventually(reportOf(s.cluster, bad), (r) => r.results?.length === 1, 'report of bad');
    assert.equal(badReport.kind, 'PolicyReport');
    assert.deepEqual(badReport.metadata.labels, MANAGED);
    assert.deepEqual(badReport.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'bad', uid: bad.metadata.uid }]);
    assert.deepEqual(badReport.scope, { apiVersion: 'v1', kind: 'ConfigMap', name: 'bad', namespace: 'team-a', uid: bad.metadata.uid });
    assert.deepEqual(badReport.summary, { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    const failed = badReport.results?.[0];
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
        properties: { process: 'background scan' },
        timestamp: undefined,
      },
    );
    assert.equal(typeof failed?.timestamp.seconds, 'number');

    const goodReport = await eventually(reportOf(s.cluster, good), (r) => r.results?.length === 1, 'report of good');
    assert.deepEqual(goodReport.summary, { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 });
    // Exactly one report per resource in the namespace.
    assert.deepEqual((await listReports(s.cluster, 'PolicyReport', 'team-a')).map((r) => r.metadata.name).sort(), [bad.metadata.uid, good.metadata.uid].sort());

    // A cluster-scoped resource gets a ClusterPolicyReport without a namespace in its scope.
    const nsReport = await eventually(reportOf(s.cluster, ns), (r) => r.results?.[0]?.result === 'pass', 'namespace report');
    assert.equal(nsReport.kind, 'ClusterPolicyReport');
    assert.equal(nsReport.metadata.namespace, undefined);
    assert.deepEqual(nsReport.scope, { apiVersion: 'v1', kind: 'Namespace', name: 'team-a', uid: ns.metadata.uid });

    // Fixing the resource turns its failure into a pass; deleting one removes its report.
    await s.cluster.update({ ...bad, metadata: { ...bad.metadata, labels: { team: 'a' } } });
    await eventually(reportOf(s.cluster, bad), (r) => r.summary?.['pass'] === 1 && r.summary['fail'] === 0, 'fixed resource');
    await s.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'good', namespace: 'team-a' });
    await gone(reportOf(s.cluster, good), 'report of the deleted resource to go');

    // Deleting the policy leaves nothing to report: the reports are deleted.
    s.setPolicies([], yaml(POLICY));
    await gone(reportOf(s.cluster, bad), 'report of bad to go with the policy');
    await gone(reportOf(s.cluster, ns), 'namespace report to go with the policy');
  } finally {
    await s.stop();
  }
});

test('the background scan evaluates as a CREATE, as Kyverno\'s scanner does', async () => {
  const s = setup();
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c' } });
    const cm = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team-c' } });
    s.setPolicies(
      yaml(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: on-create}
spec:
  validationFailureAction: Audit
  rules:
  - name: create-only
    match: {any: [{resources: {kinds: [ConfigMap], operations: [CREATE]}}]}
    validate:
      message: "operation {{ request.operation }}"
      deny: {conditions: {any: [{key: "{{ request.operation }}", operator: Equals, value: CREATE}]}}
`),
    );
    const report = await eventually(reportOf(s.cluster, cm), (r) => r.results?.length === 1, 'report of cm');
    assert.equal(report.results?.[0]?.result, 'fail');
    assert.equal(report.results?.[0]?.message, 'operation CREATE');
  } finally {
    await s.stop();
  }
});

test('one resource changing rewrites only its own report', async () => {
  const s = setup();
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 's' } } });
    const a = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' } });
    const b = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'shop' } });
    s.setPolicies(yaml(POLICY));
    const before = await eventually(reportOf(s.cluster, b), (r) => r.summary?.['fail'] === 1, 'report of b');
    await eventually(reportOf(s.cluster, a), (r) => r.summary?.['fail'] === 1, 'report of a');

    await s.cluster.update({ ...a, metadata: { ...a.metadata, labels: { team: 's' } } });
    await eventually(reportOf(s.cluster, a), (r) => r.summary?.['pass'] === 1, 'report of a rewritten');
    await waitFor(() => s.reports.pending() === 0, 'queue drained');
    const after = await reportOf(s.cluster, b)();
    assert.equal(after?.metadata.resourceVersion, before.metadata.resourceVersion);
  } finally {
    await s.stop();
  }
});

test('a resource recreated under the same name gets a new report; the old one goes', async () => {
  const s = setup();
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 's' } } });
    const first = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'shop' } });
    s.setPolicies(yaml(POLICY));
    await eventually(reportOf(s.cluster, first), (r) => r.summary?.['fail'] === 1, 'first report');
    await s.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'same', namespace: 'shop' });
    const second = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'shop', labels: { team: 's' } } });
    assert.notEqual(second.metadata.uid, first.metadata.uid);
    const report = await eventually(reportOf(s.cluster, second), (r) => r.summary?.['pass'] === 1, 'second report');
    assert.equal(report.scope?.['uid'], second.metadata.uid);
    await gone(reportOf(s.cluster, first), 'first report to go');
  } finally {
    await s.stop();
  }
});

test('a policy change rescans existing resources; background: false policies are not scanned', async () => {
  const s = setup();
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
    const cm = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns1' } });
    const [noBackground] = yaml(POLICY.replace('validationFailureAction: Audit', 'background: false'));
    if (!noBackground) throw new Error('no policy');
    s.setPolicies([noBackground]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await listReports(s.cluster, 'PolicyReport'), []);

    // Admission results still reach the resource's report.
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
    const r1 = await eventually(reportOf(s.cluster, cm), (r) => r.results?.length === 1, 'admission result');
    assert.equal(r1.results?.[0]?.result, 'fail');
    // Kyverno names the process from the policy: one that never scans reports "admission review".
    assert.deepEqual(r1.results?.[0]?.properties, { process: 'admission review' });

    // Turning background on scans what exists.
    s.setPolicies(yaml(POLICY));
    const r2 = await eventually(reportOf(s.cluster, cm), (r) => r.results?.[0]?.properties?.['process'] === 'background scan', 'rescan');
    assert.deepEqual(r2.results?.map((r) => r.result), ['fail']);
  } finally {
    await s.stop();
  }
});

test('an object without a uid gets no report', async () => {
  const s = setup();
  s.start();
  try {
    s.setPolicies(yaml(POLICY));
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    const req: AdmissionRequest = {
      uid: 'u',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      operation: 'CREATE',
      namespace: 'default',
      name: 'x',
      userInfo: {},
      object,
    };
    const results = await admissionValidate(req, { userInfo: {}, roles: [], clusterRoles: [] }, { policies: s.policies, env: { now: () => 0, random: () => 0.5, lookup: emptyLookup } });
    assert.equal(results.length, 1);
    s.reports.recordAdmission(req, results);
    assert.deepEqual(s.reports.results.keys(), []);
    assert.equal(s.reports.pending(), 0);
  } finally {
    await s.stop();
  }
});

test('at start, old per-namespace reports are removed and stale per-resource reports are settled', async () => {
  const s = setup();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', labels: { team: 'o' } } });
    const kept = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'old' } });
    // The layout of earlier Sprout versions, plus a report of the same name someone else manages.
    await s.cluster.create({ apiVersion: API, kind: 'PolicyReport', metadata: { name: 'polr-ns-old', namespace: 'old', labels: MANAGED }, results: [], summary: {} });
    await s.cluster.create({ apiVersion: API, kind: 'ClusterPolicyReport', metadata: { name: 'clusterpolicyreport', labels: MANAGED }, results: [], summary: {} });
    await s.cluster.create({ apiVersion: API, kind: 'PolicyReport', metadata: { name: 'polr-ns-foreign', namespace: 'old' }, results: [] });
    // A per-resource report written before a restart, for a resource no policy applies to any more.
    const stale = await s.cluster.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stale', namespace: 'old' } });
    await s.cluster.create({
      apiVersion: API,
      kind: 'PolicyReport',
      metadata: { name: stale.metadata.uid, namespace: 'old', labels: MANAGED },
      scope: { apiVersion: 'v1', kind: 'Secret', name: 'stale', namespace: 'old', uid: stale.metadata.uid ?? '' },
      results: [{ policy: 'gone', rule: 'r', result: 'fail', message: '', source: 'kyverno', scored: true, timestamp: { seconds: 1, nanos: 0 } }],
      summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
    });

    s.setPolicies(yaml(POLICY));
    s.start();
    await eventually(reportOf(s.cluster, kept), (r) => r.summary?.['fail'] === 1, 'report of kept');
    await waitFor(async () => (await listReports(s.cluster, 'ClusterPolicyReport')).every((r) => r.metadata.name !== 'clusterpolicyreport'), 'cluster report removed');
    await waitFor(
      async () => {
        const names = (await listReports(s.cluster, 'PolicyReport', 'old')).map((r) => r.metadata.name).sort();
        return JSON.stringify(names) === JSON.stringify([kept.metadata.uid, 'polr-ns-foreign'].sort());
      },
      'legacy and stale reports removed, the foreign one kept',
    );
  } finally {
    await s.stop();
  }
});

/** A policy that never scans: its results come from admission only. */
const ADMISSION_ONLY = POLICY.replace('validationFailureAction: Audit', 'validationFailureAction: Audit\n  background: false');

/** Hands the report controller what the webhook would for an allowed CREATE of `object`. */
async function admit(s: ReturnType<typeof setup>, object: KubeObject): Promise<void> {
  const { group, version } = object.apiVersion.includes('/')
    ? { group: object.apiVersion.split('/')[0] ?? '', version: object.apiVersion.split('/')[1] ?? '' }
    : { group: '', version: object.apiVersion };
  const req: AdmissionRequest = {
    uid: `req-${object.metadata.name ?? ''}`,
    kind: { group, version, kind: object.kind },
    resource: { group, version, resource: `${object.kind.toLowerCase()}s` },
    operation: 'CREATE',
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name ?? '',
    userInfo: {},
    object,
  };
  const results = await admissionValidate(req, { userInfo: {}, roles: [], clusterRoles: [] }, { policies: s.policies, env: { now: () => 0, random: () => 0.5, lookup: emptyLookup } });
  s.reports.recordAdmission(req, results);
}

test('reports found at start are kept until the policies have synced, then settled', async () => {
  let synced = false;
  const s = setup({ policiesSynced: () => synced });
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', labels: { team: 'o' } } });
    const kept = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'old' } });
    const stale = await s.cluster.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stale', namespace: 'old' } });
    const reportFor = (obj: KubeObject) =>
      s.cluster.create({
        apiVersion: API,
        kind: 'PolicyReport',
        metadata: { name: obj.metadata.uid, namespace: 'old', labels: MANAGED },
        scope: { apiVersion: 'v1', kind: obj.kind, name: obj.metadata.name ?? '', namespace: 'old', uid: obj.metadata.uid ?? '' },
        results: [{ policy: 'require-team', rule: 'check-team', result: 'fail', message: '', source: 'kyverno', scored: true, timestamp: { seconds: 1, nanos: 0 } }],
        summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
      });
    const keptBefore = await reportFor(kept);
    await reportFor(stale);

    // Policies not loaded yet: no kind is watched, which must not read as "no policy applies".
    s.start();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await reportOf(s.cluster, kept)())?.metadata.uid, keptBefore.metadata.uid);
    assert.notEqual(await reportOf(s.cluster, stale)(), undefined);

    // The source has synced, but its change notification has not arrived: the policy is read anyway.
    s.policies.upsert(yaml(POLICY)[0] ?? keptBefore);
    synced = true;
    const settled = await eventually(reportOf(s.cluster, kept), (r) => r.results?.[0]?.properties?.['process'] === 'background scan', 'kept report rescanned');
    // Updated in place: the same object, so Policy Reporter sees no delete and create.
    assert.equal(settled.metadata.uid, keptBefore.metadata.uid);
    assert.deepEqual(settled.summary, { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    // A report that no policy backs goes, now that "no policy" is known.
    await gone(reportOf(s.cluster, stale), 'stale report to go once policies synced');
  } finally {
    await s.stop();
  }
});

test('one object admitted under another version than the informer watches has one entry and one report', async () => {
  const s = setup();
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 's' } } });
    s.setPolicies(yaml(POLICY.replace('kinds: [ConfigMap, Namespace]', 'kinds: [HorizontalPodAutoscaler]')));
    const hpa = await s.cluster.create({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 },
    });
    const first = await eventually(reportOf(s.cluster, hpa), (r) => r.summary?.['fail'] === 1, 'report of the HPA');
    // A client using autoscaling/v1 updates the same object.
    await admit(s, { ...hpa, apiVersion: 'autoscaling/v1' });
    assert.equal(s.reports.results.keys().length, 1);
    await waitFor(() => s.reports.pending() === 0, 'queue drained');
    const after = await reportOf(s.cluster, hpa)();
    assert.equal(after?.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.ok(['autoscaling/v1', 'autoscaling/v2'].includes(after?.scope?.['apiVersion'] ?? ''));

    // Deleting the object leaves nothing behind under either version.
    await s.cluster.delete({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'shop' });
    await gone(reportOf(s.cluster, hpa), 'report of the deleted HPA');
    await waitFor(() => s.reports.results.keys().length === 0, 'no results left');
  } finally {
    await s.stop();
  }
});

test('results of an admitted object that never reached the cluster are dropped after the grace period', async () => {
  const s = setup({ admissionGraceMs: 200 });
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 's' } } });
    s.setPolicies(yaml(ADMISSION_ONLY));
    const stored = await s.cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stored', namespace: 'shop' } });
    await admit(s, stored);
    // Allowed by the webhook, then rejected by a later admission plugin: the API server never stored it.
    const rejected: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rejected', namespace: 'shop', uid: 'never-stored' } };
    await admit(s, rejected);
    assert.equal(s.reports.results.keys().length, 2);

    await waitFor(() => s.reports.results.keys().length === 1, 'results of the rejected object dropped');
    await waitFor(() => s.reports.pending() === 0, 'queue drained');
    assert.equal(await reportOf(s.cluster, rejected)(), undefined);
    const kept = await eventually(reportOf(s.cluster, stored), (r) => r.summary?.['fail'] === 1, 'report of the stored object');
    assert.deepEqual(kept.results?.map((r) => r.properties?.['process']), ['admission review']);
  } finally {
    await s.stop();
  }
});

test('for a kind no informer watches, the grace check asks the API server', async () => {
  const s = setup({ admissionGraceMs: 200 });
  s.start();
  try {
    await s.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    // A wildcard kind starts no informer.
    s.setPolicies(yaml(ADMISSION_ONLY.replace('kinds: [ConfigMap, Namespace]', "kinds: ['*']")));
    const stored = await s.cluster.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stored', namespace: 'shop' } });
    await admit(s, stored);
    await admit(s, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rejected', namespace: 'shop', uid: 'never-stored' } });
    // Same name as a stored object, but another uid: not the object that was admitted.
    await admit(s, { ...stored, metadata: { ...stored.metadata, name: 'stored', namespace: 'other-ns', uid: 'other' } });
    assert.equal(s.reports.results.keys().length, 3);
    await waitFor(() => s.reports.results.keys().length === 1, 'results of objects never stored dropped');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(s.reports.results.keys().map((k) => k.split('|').slice(1).join('|')), ['Secret|shop|stored']);
  } finally {
    await s.stop();
  }
});
