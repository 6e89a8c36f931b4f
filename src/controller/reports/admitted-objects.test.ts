// The grace-period check for admitted objects: one timer per object, and "stored" means the same uid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCluster } from '../../cluster/memory/index.js';
import { FakeClock } from '../../platform/clock.js';
import { AdmittedObjectTimers, isStored } from './admitted-objects.js';

test('AdmittedObjectTimers fires once per object after the grace period; cancelAll stops the rest', async () => {
  const clock = new FakeClock();
  const due: string[] = [];
  const timers = new AdmittedObjectTimers(clock, 1000, (key, uid) => due.push(`${key}@${uid}`));
  timers.schedule('k1', 'u1');
  await clock.advance(500);
  timers.schedule('k1', 'u1'); // an UPDATE of the same object within the period: still one check
  timers.schedule('k1', 'u2'); // a new object of the same name is its own check
  await clock.advance(500);
  assert.deepEqual(due, ['k1@u1']);
  timers.schedule('k2', 'u3');
  timers.cancelAll();
  await clock.advance(5000);
  assert.deepEqual(due, ['k1@u1']);
});

test('isStored asks the API server when no informer watches the kind', async () => {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const cm = await cluster.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' } });
  const subject = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: 'shop' };
  const cases = [
    { name: 'same name and uid', uid: cm.metadata.uid ?? '', want: true },
    { name: 'same name, another uid', uid: 'another', want: false },
  ];
  for (const c of cases) assert.equal(await isStored(cluster, undefined, { ...subject, uid: c.uid }), c.want, c.name);
  assert.equal(await isStored(cluster, undefined, { ...subject, name: 'missing', uid: 'x' }), false, 'not found');
});
