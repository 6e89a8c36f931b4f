// Snapshot + log recovery on a real data dir: what a restart must bring back, and what it must
// refuse to start from.
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../api/kube.js';
import type { ResourceRef } from '../client.js';
import { isNotFound } from '../errors.js';
import type { MemoryCluster } from '../memory/index.js';
import { openDurableCluster } from './durable-cluster.js';
import { listSegments } from './files.js';
import { DataDirLockedError } from './lock.js';
import { CorruptDataError, encodeRecord } from './record-format.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const cm = (name: string, data: Record<string, string> = { k: name }): KubeObject => ({
  ...CM,
  metadata: { name, namespace: 'default' },
  data,
});
const ref = (name: string): ResourceRef & { name: string; namespace: string } => ({ ...CM, namespace: 'default', name });

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
};
const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget' };

async function everything(c: MemoryCluster): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const info of await c.resources()) {
    if (!info.verbs.includes('list')) continue;
    const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
    out.push(...(await c.list({ apiVersion, kind: info.kind })).items);
  }
  return out.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}

const maxRv = (objs: KubeObject[]): number => Math.max(...objs.map((o) => Number(o.metadata.resourceVersion)));

describe('durable cluster', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sprout-data-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a new dir is initialised with a snapshot before it serves', async () => {
    const d = await openDurableCluster({ dir });
    assert.equal(d.restored, false);
    assert.ok((await readdir(dir)).includes('snapshot.dat'));
    assert.ok((await d.cluster.list({ apiVersion: 'v1', kind: 'Namespace' })).items.length >= 4);
    await d.close();
    assert.ok(!(await readdir(dir)).includes('LOCK'), 'the lock is released');
  });

  it('replays the log after an unclean stop: creates, updates, deletes, uids and versions', async () => {
    const d1 = await openDurableCluster({ dir });
    await d1.cluster.create(cm('a'));
    await d1.cluster.create(cm('b'));
    await d1.cluster.patch(ref('a'), { data: { k: 'changed' } }, 'merge');
    await d1.cluster.delete(ref('b'));
    const before = await everything(d1.cluster);
    await d1.close({ snapshot: false });

    const d2 = await openDurableCluster({ dir });
    assert.equal(d2.restored, true);
    assert.ok(d2.recovered.replayed >= 4, `replayed ${d2.recovered.replayed}`);
    assert.deepEqual(await everything(d2.cluster), before);
    assert.deepEqual((await d2.cluster.get(ref('a'))).data, { k: 'changed' });
    await assert.rejects(d2.cluster.get(ref('b')), isNotFound);
    const next = await d2.cluster.create(cm('c'));
    assert.ok(Number(next.metadata.resourceVersion) > maxRv(before));
    await d2.close();
  });

  it('snapshot plus the log written after it; old segments are dropped', async () => {
    const d1 = await openDurableCluster({ dir });
    for (let i = 0; i < 20; i++) await d1.cluster.create(cm(`s${i}`));
    await d1.snapshot();
    await d1.cluster.delete(ref('s0'));
    await d1.cluster.update({ ...(await d1.cluster.get(ref('s1'))), data: { k: 'after-snapshot' } });
    await d1.cluster.create(cm('late'));
    const before = await everything(d1.cluster);
    assert.equal((await listSegments(dir)).length, 1, 'the segment the snapshot covers is gone');
    await d1.close({ snapshot: false });

    const d2 = await openDurableCluster({ dir });
    assert.equal(d2.recovered.replayed, 3);
    assert.deepEqual(await everything(d2.cluster), before);
    await d2.close();
  });

  it('resourceVersions keep increasing across several restarts', async () => {
    let last = 0;
    for (let round = 0; round < 4; round++) {
      const d = await openDurableCluster({ dir });
      const obj = await d.cluster.create(cm(`r${round}`));
      const rv = Number(obj.metadata.resourceVersion);
      assert.ok(rv > last, `round ${round}: ${rv} > ${last}`);
      last = rv;
      await d.close({ snapshot: round % 2 === 0 });
    }
  });

  it('CRDs and their instances come back, served', async () => {
    const d1 = await openDurableCluster({ dir });
    await d1.cluster.create(CRD);
    await d1.cluster.create({ ...WIDGET, metadata: { name: 'w', namespace: 'default' }, spec: { size: 2 } });
    await d1.close({ snapshot: false });
    for (const snapshot of [false, true]) {
      const d = await openDurableCluster({ dir });
      assert.ok((await d.cluster.resolveKind(WIDGET)) !== undefined);
      assert.deepEqual((await d.cluster.get({ ...WIDGET, namespace: 'default', name: 'w' })).spec, { size: 2 });
      await d.close({ snapshot });
    }
  });

  it('tolerates a torn last record, cuts it off, and starts cleanly again afterwards', async () => {
    const d1 = await openDurableCluster({ dir });
    await d1.cluster.create(cm('acked'));
    await d1.close({ snapshot: false });
    const segments = await listSegments(dir);
    const newest = segments[segments.length - 1]?.path ?? '';
    const torn = encodeRecord({ rv: 999, table: '/configmaps', namespace: 'default', name: 'torn' });
    await appendFile(newest, torn.subarray(0, torn.length - 7));

    const d2 = await openDurableCluster({ dir });
    assert.equal(d2.recovered.tornTail?.file, newest);
    assert.deepEqual((await d2.cluster.get(ref('acked'))).data, { k: 'acked' });
    await d2.cluster.create(cm('after-torn'));
    await d2.close({ snapshot: false });

    const d3 = await openDurableCluster({ dir });
    assert.equal(d3.recovered.tornTail, undefined);
    assert.deepEqual((await d3.cluster.get(ref('after-torn'))).data, { k: 'after-torn' });
    await d3.close();
  });

  it('refuses to start when a record is missing (a gap in resourceVersions)', async () => {
    const d1 = await openDurableCluster({ dir });
    const obj = await d1.cluster.create(cm('x'));
    await d1.close({ snapshot: false });
    const segments = await listSegments(dir);
    const rv = Number(obj.metadata.resourceVersion) + 2;
    await appendFile(segments[segments.length - 1]?.path ?? '', encodeRecord({ rv, table: '/configmaps', namespace: 'default', name: 'y', object: cm('y') }));
    await assert.rejects(openDurableCluster({ dir }), (e: unknown) => e instanceof CorruptDataError && /expected resourceVersion/.test(e.message));
  });

  it('refuses to start from a damaged snapshot', async () => {
    const d1 = await openDurableCluster({ dir });
    await d1.close();
    await appendFile(join(dir, 'snapshot.dat'), 'garbage\n');
    await assert.rejects(openDurableCluster({ dir }), CorruptDataError);
  });

  it('a crash mid-snapshot leaves the previous snapshot and the log in charge', async () => {
    const d1 = await openDurableCluster({ dir });
    await d1.cluster.create(cm('kept'));
    await d1.close({ snapshot: false });
    await writeFile(join(dir, 'snapshot.dat.tmp'), 'half a snapshot');
    const d2 = await openDurableCluster({ dir });
    assert.deepEqual((await d2.cluster.get(ref('kept'))).data, { k: 'kept' });
    assert.ok(!(await readdir(dir)).includes('snapshot.dat.tmp'));
    await d2.close();
  });

  it('snapshots on its own once the log grows, and recovers from that', async () => {
    const d1 = await openDurableCluster({ dir, snapshotAfterRecords: 25 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => d1.cluster.create(cm(`auto${i}`))));
    for (let i = 0; i < 100 && d1.stats().snapshots < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(d1.stats().snapshots >= 2, `snapshots: ${d1.stats().snapshots}`);
    assert.ok(d1.stats().logFlushes < 100, `group commit: ${d1.stats().logFlushes} fsyncs for 100 writes`);
    const before = await everything(d1.cluster);
    await d1.close({ snapshot: false });
    const d2 = await openDurableCluster({ dir });
    assert.deepEqual(await everything(d2.cluster), before);
    await d2.close();
  });

  it('resumes a namespace deletion held up by a finalizer across a restart', async () => {
    const d1 = await openDurableCluster({ dir });
    await d1.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await d1.cluster.create({ ...cm('held'), metadata: { name: 'held', namespace: 'team', finalizers: ['example.com/hold'] } });
    await d1.cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'team' });
    await d1.close({ snapshot: false });
    const d2 = await openDurableCluster({ dir });
    const ns = await d2.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team' });
    assert.equal((ns.status as { phase?: string }).phase, 'Terminating');
    await d2.cluster.patch({ ...CM, namespace: 'team', name: 'held' }, { metadata: { finalizers: null } }, 'merge');
    await assert.rejects(d2.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team' }), isNotFound);
    await d2.close();
  });

  it('one server per data dir', async () => {
    await writeFile(join(dir, 'LOCK'), String(process.ppid));
    await assert.rejects(openDurableCluster({ dir }), DataDirLockedError);
    // A lock left by a process that is gone (SIGKILL) is taken over.
    await writeFile(join(dir, 'LOCK'), '2147483646');
    const d = await openDurableCluster({ dir });
    await d.close();
  });

  it('writes after close are refused', async () => {
    const d = await openDurableCluster({ dir });
    await d.close();
    await assert.rejects(d.cluster.create(cm('late')), /closed/);
  });
});
