// writeReport leaves a report alone when it already says what would be written. The API server returns
// a custom resource with its keys in its own order, so "the same" has to ignore key order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import { MemoryCluster } from '../../cluster/memory/index.js';
import type { ReportResult, ReportSubject } from './report-format.js';
import { buildReport, REPORT_API_VERSION } from './report-format.js';
import { writeReport } from './report-writer.js';


const result = (rule: string, outcome: 'pass' | 'fail'): ReportResult => ({
  policy: 'require-team',
  rule,
  result: outcome,
  message: outcome === 'pass' ? 'validation rule passed.' : 'label team is required',
  source: 'kyverno',
  scored: true,
  category: 'Best Practices',
  properties: { process: 'background scan' },
  timestamp: { seconds: 1_700_000_000, nanos: 0 },
});

/** The same value with every object's keys in reverse order, as another serialiser may emit them. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
}

/** A cluster holding the reported ConfigMap: a report whose owner is missing is collected at once. */
async function setup(): Promise<{ cluster: MemoryCluster; subject: ReportSubject; live: () => Promise<KubeObject> }> {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const cm = await cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' } });
  const uid = cm.metadata.uid ?? '';
  const subject: ReportSubject = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: 'shop', uid };
  const live = (): Promise<KubeObject> => cluster.get({ apiVersion: REPORT_API_VERSION, kind: 'PolicyReport', namespace: 'shop', name: uid });
  return { cluster, subject, live };
}

test('writeReport: same content with keys in another order is unchanged; other content is updated', async () => {
  const results = [result('a', 'pass'), result('b', 'fail')];
  const cases: { name: string; want: ReportResult[]; outcome: string }[] = [
    { name: 'same results, live keys reordered', want: results, outcome: 'unchanged' },
    { name: 'same results in another input order', want: [...results].reverse(), outcome: 'unchanged' },
    { name: 'one outcome changed', want: [result('a', 'pass'), result('b', 'pass')], outcome: 'updated' },
    { name: 'one result fewer', want: [result('a', 'pass')], outcome: 'updated' },
  ];
  for (const c of cases) {
    const { cluster, subject, live } = await setup();
    const built = buildReport(subject, results);
    const stored = {
      ...(reverseKeys(built) as KubeObject),
      apiVersion: built.apiVersion,
      kind: built.kind,
      metadata: built.metadata,
    };
    await cluster.create(stored);
    const before = await live();
    // The fixture really is reordered: a key-order-sensitive comparison would see a difference.
    assert.notEqual(JSON.stringify(before['results']), JSON.stringify(built['results']), c.name);
    assert.equal(await writeReport(cluster, subject, c.want), c.outcome, c.name);
    const after = await live();
    assert.equal(after.metadata.resourceVersion === before.metadata.resourceVersion, c.outcome === 'unchanged', c.name);
  }
});

test('writeReport: an optional field absent on the live report equals one left undefined', async () => {
  const { cluster, subject } = await setup();
  const withUndefined: ReportResult = { ...result('a', 'fail'), severity: undefined };
  await cluster.create(JSON.parse(JSON.stringify(buildReport(subject, [withUndefined]))) as KubeObject);
  assert.equal(await writeReport(cluster, subject, [withUndefined]), 'unchanged');
});
