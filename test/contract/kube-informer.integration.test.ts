// The controller runtime's informer on top of the kube adapter, against the embedded server over
// HTTPS: it lists, follows the watch, resumes when the server closes its watches, and relists after
// a 410 when the history it would resume from has been compacted.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/kube.js';
import type { ClusterClient } from '../../src/cluster/client.js';
import { startLocalServer } from '../../src/cluster/http/index.js';
import { KubeClient } from '../../src/cluster/kube/index.js';
import { Informer } from '../../src/controller/runtime/informer.js';
import { systemClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function cm(name: string, data: Record<string, string> = { k: 'v' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'inf' }, data };
}

describe('informer over KubeClient against the embedded server', () => {
  it('sees creates, updates and deletes across closed watches and a compaction', async () => {
    const server = await startLocalServer();
    const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
    const ac = new AbortController();
    after(async () => {
      ac.abort();
      client.close();
      await server.close();
    });
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inf' } });
    await client.create(cm('before'));

    const log: string[] = [];
    const logLines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void logLines.push(line) },
    });
    // Lets the test hold the informer's next watch back, so writes and a compaction happen while it is away.
    let gate: Promise<void> = Promise.resolve();
    const gated: ClusterClient = new Proxy(client, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop !== 'watch') return (value as (...a: unknown[]) => unknown).bind(target);
        return async (...args: Parameters<ClusterClient['watch']>) => {
          await gate;
          return target.watch(...args);
        };
      },
    });
    const informer = new Informer({
      client: gated,
      resource: CM,
      namespace: 'inf',
      clock: systemClock,
      backoff: { baseMs: 20, capMs: 200 },
      pageSize: 2,
      logger,
    });
    informer.addHandlers({
      onAdd: (o) => log.push(`add ${o.metadata.name ?? ''}`),
      onUpdate: (oldObj, o) =>
        log.push(
          `update ${o.metadata.name ?? ''} ${String((oldObj.data as { k?: string }).k)}→${String((o.data as { k?: string }).k)}`,
        ),
      onDelete: (o) => log.push(`delete ${o.metadata.name ?? ''}`),
    });
    const running = informer.run(ac.signal);
    assert.equal(await informer.waitForSync(ac.signal), true);
    assert.deepEqual(log, ['add before']);

    // Live events through the HTTPS watch stream.
    const a = await client.create(cm('a'));
    await client.update({ ...a, data: { k: 'v2' } });
    await client.delete({ ...CM, namespace: 'inf', name: 'before' });
    await eventually(() => assert.deepEqual(log.slice(1), ['add a', 'update a v→v2', 'delete before']));

    // The server ends every watch (as an API server does on timeout or restart): the informer resumes
    // from the last resourceVersion it saw and misses nothing written meanwhile.
    server.cluster.closeWatches();
    await client.create(cm('b'));
    await eventually(() => assert.deepEqual(informer.keys().sort(), ['inf/a', 'inf/b']));
    assert.equal(log.at(-1), 'add b');

    // Closed again, and the history compacted while the informer was away: the resume gets 410,
    // the informer relists and reports the difference.
    const before = log.length;
    let open: () => void = () => undefined;
    gate = new Promise<void>((resolve) => (open = resolve));
    server.cluster.closeWatches();
    await client.delete({ ...CM, namespace: 'inf', name: 'a' });
    await client.create(cm('c'));
    server.cluster.compact();
    open();
    await eventually(() => assert.deepEqual(informer.keys().sort(), ['inf/b', 'inf/c']));
    assert.deepEqual(log.slice(before).sort(), ['add c', 'delete a']);
    assert.ok(
      logLines.some((l) => l.includes('watch expired; relisting')),
      'the resume got 410 and relisted',
    );

    // And it keeps following the watch after all that.
    await client.patch({ ...CM, namespace: 'inf', name: 'c' }, { data: { k: 'v3' } }, 'merge');
    await eventually(() => assert.equal(log.at(-1), 'update c v→v3'));
    ac.abort();
    await running;
  });
});
