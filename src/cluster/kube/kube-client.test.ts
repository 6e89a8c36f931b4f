// The adapter on the wire, against a scripted server: request shapes, retries, error mapping and
// watch streams that break in the middle.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchEvent } from '../client.js';
import { ServerError, isConflict, isNotFound, isTooManyRequests } from '../errors.js';
import type { FakeApiServer, Handler } from './fake-api-server.test-util.js';
import { startFakeApiServer, statusAnswer } from './fake-api-server.test-util.js';
import { NetworkError } from './http-errors.js';
import { KubeClient } from './kube-client.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const servers: FakeApiServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function setup(
  handler: Handler,
  attempts = 4,
): Promise<{ server: FakeApiServer; client: KubeClient; slept: number[] }> {
  const server = await startFakeApiServer(handler);
  servers.push(server);
  const slept: number[] = [];
  const client = new KubeClient(server.kubeConfig, {
    retry: { attempts, baseMs: 10 },
    qps: 0,
    sleep: (ms) => (slept.push(ms), Promise.resolve()),
  });
  return { server, client, slept };
}

const cm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns1', resourceVersion: '3' },
  data: { k: 'v' },
};

describe('KubeClient requests', () => {
  it('sends the verbs, paths, content types and query parameters of the API', async () => {
    const { server, client } = await setup((r) =>
      r.method === 'DELETE'
        ? { status: 200, body: { kind: 'Status', status: 'Success' } }
        : { status: 200, body: cm },
    );
    await client.get({ ...CM, namespace: 'ns1', name: 'a' });
    await client.create(cm, { dryRun: true, fieldManager: 'sprout' });
    await client.update(cm);
    await client.updateStatus(cm);
    await client.patch({ ...CM, namespace: 'ns1', name: 'a' }, [{ op: 'remove', path: '/data/k' }], 'json');
    await client.patch({ ...CM, namespace: 'ns1', name: 'a' }, { data: null }, 'merge');
    await client.patch({ ...CM, namespace: 'ns1', name: 'a' }, { data: {} }, 'strategic');
    await client.patch({ ...CM, namespace: 'ns1', name: 'a' }, cm, 'apply', {
      fieldManager: 'sprout',
      force: true,
    });
    const deleted = await client.delete(
      { ...CM, namespace: 'ns1', name: 'a' },
      { propagationPolicy: 'Foreground', preconditions: { uid: 'u1' }, dryRun: true },
    );
    await client.get({ apiVersion: 'v1', kind: 'Namespace', namespace: 'ignored', name: 'n' });
    assert.equal(deleted, undefined, 'a Success Status means the object is gone');
    const calls = server.seen
      .filter((r) => r.path !== '/api/v1')
      .map((r) => [r.method, r.path, r.query.toString(), r.contentType ?? '']);
    assert.deepEqual(calls, [
      ['GET', '/api/v1/namespaces/ns1/configmaps/a', '', ''],
      ['POST', '/api/v1/namespaces/ns1/configmaps', 'dryRun=All&fieldManager=sprout', 'application/json'],
      ['PUT', '/api/v1/namespaces/ns1/configmaps/a', '', 'application/json'],
      ['PUT', '/api/v1/namespaces/ns1/configmaps/a/status', '', 'application/json'],
      ['PATCH', '/api/v1/namespaces/ns1/configmaps/a', '', 'application/json-patch+json'],
      ['PATCH', '/api/v1/namespaces/ns1/configmaps/a', '', 'application/merge-patch+json'],
      ['PATCH', '/api/v1/namespaces/ns1/configmaps/a', '', 'application/strategic-merge-patch+json'],
      [
        'PATCH',
        '/api/v1/namespaces/ns1/configmaps/a',
        'fieldManager=sprout&force=true',
        'application/apply-patch+yaml',
      ],
      ['DELETE', '/api/v1/namespaces/ns1/configmaps/a', '', 'application/json'],
      ['GET', '/api/v1/namespaces/n', '', ''],
    ]);
    const del = server.seen.find((r) => r.method === 'DELETE');
    assert.deepEqual(JSON.parse(del?.body ?? ''), {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      preconditions: { uid: 'u1' },
      dryRun: ['All'],
    });
    assert.ok(server.seen.every((r) => r.authorization === 'Bearer secret-token'));
  });

  it('lists with selectors and pages, filling kind/apiVersion the server left out of items', async () => {
    const { server, client } = await setup(() => ({
      status: 200,
      body: {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '9', continue: 'tok2' },
        items: [{ metadata: { name: 'x', creationTimestamp: '2024-01-01T00:00:00Z' } }],
      },
    }));
    const page = await client.list(CM, {
      namespace: 'ns1',
      labelSelector: 'a in (b,c)',
      fieldSelector: 'metadata.name!=z',
      limit: 1,
      continue: 'tok1',
    });
    assert.deepEqual(page, {
      items: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', creationTimestamp: '2024-01-01T00:00:00Z' },
        },
      ],
      resourceVersion: '9',
      continue: 'tok2',
    });
    const q = server.seen.at(-1)?.query;
    assert.deepEqual(Object.fromEntries(q ?? []), {
      labelSelector: 'a in (b,c)',
      fieldSelector: 'metadata.name!=z',
      limit: '1',
      continue: 'tok1',
    });
  });

  it('unknown kinds are 404 without a request for the object', async () => {
    const { server, client } = await setup(() =>
      statusAnswer(404, 'NotFound', 'the server could not find the requested resource'),
    );
    await assert.rejects(client.get({ apiVersion: 'v1', kind: 'Nope', name: 'x' }), (e: unknown) =>
      isNotFound(e),
    );
    await assert.rejects(client.get({ apiVersion: 'nope.io/v1', kind: 'Nope', name: 'x' }), (e: unknown) =>
      isNotFound(e),
    );
    assert.ok(server.seen.every((r) => r.path === '/api/v1' || r.path === '/apis/nope.io/v1'));
  });
});

describe('KubeClient retries and errors', () => {
  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    let n = 0;
    const { server, client, slept } = await setup(() =>
      n++ === 0
        ? statusAnswer(429, 'TooManyRequests', 'slow down', { 'Retry-After': '2' })
        : { status: 200, body: cm },
    );
    assert.deepEqual((await client.get({ ...CM, namespace: 'ns1', name: 'a' })).data, { k: 'v' });
    assert.deepEqual(slept, [2000]);
    assert.equal(server.seen.filter((r) => r.path.endsWith('/a')).length, 2);
  });

  it('reads are retried on 5xx with backoff until the attempts run out', async () => {
    const { server, client, slept } = await setup(
      () => statusAnswer(500, 'InternalError', 'etcd leader changed'),
      3,
    );
    await assert.rejects(
      client.get({ ...CM, namespace: 'ns1', name: 'a' }),
      (e: unknown) => e instanceof ServerError && e.message === 'etcd leader changed',
    );
    assert.equal(server.seen.filter((r) => r.path.endsWith('/a')).length, 3);
    assert.deepEqual(slept, [10, 20]);
  });

  it('a create that got a 500 is not repeated (it may have happened); 503 and 429 are', async () => {
    const { server, client } = await setup(() => statusAnswer(500, 'InternalError', 'boom'));
    await assert.rejects(client.create(cm), ServerError);
    assert.equal(server.seen.filter((r) => r.method === 'POST').length, 1);
    let n = 0;
    const busy = await setup(() =>
      n++ < 2
        ? statusAnswer(n === 1 ? 503 : 429, n === 1 ? 'ServiceUnavailable' : 'TooManyRequests', 'busy')
        : { status: 201, body: cm },
    );
    await busy.client.create(cm);
    assert.equal(busy.server.seen.filter((r) => r.method === 'POST').length, 3);
  });

  it('maps Status bodies to typed errors and leaves 4xx alone', async () => {
    const { server, client } = await setup(() =>
      statusAnswer(
        409,
        'Conflict',
        'Operation cannot be fulfilled on configmaps "a": the object has been modified',
      ),
    );
    await assert.rejects(client.update(cm), (e: unknown) => isConflict(e));
    assert.equal(server.seen.filter((r) => r.method === 'PUT').length, 1);
    const throttled = await setup(() => statusAnswer(429, 'TooManyRequests', 'no'), 2);
    await assert.rejects(throttled.client.get({ ...CM, namespace: 'x', name: 'a' }), (e: unknown) =>
      isTooManyRequests(e),
    );
  });

  it('a refused connection is a NetworkError, retried because nothing was sent', async () => {
    const { server, client, slept } = await setup(() => ({ status: 200, body: cm }), 3);
    await client.get({ ...CM, namespace: 'ns1', name: 'a' });
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    await assert.rejects(
      client.create(cm),
      (e: unknown) => e instanceof NetworkError && e.status.code === 503 && /ECONNREFUSED/.test(e.message),
    );
    assert.equal(slept.length, 2);
  });
});

describe('KubeClient watch', () => {
  it('streams events cut mid-line; a dropped connection resolves done', async () => {
    const lines = [
      { type: 'ADDED', object: { ...cm, metadata: { name: 'a', resourceVersion: '4' } } },
      {
        type: 'BOOKMARK',
        object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '5' } },
      },
      { type: 'DELETED', object: { ...cm, metadata: { name: 'a', resourceVersion: '6' } } },
    ];
    const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
    const { server, client } = await setup((_r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      // Three chunks with cuts inside lines, then the connection dies without a proper end.
      res.write(text.slice(0, 30));
      setTimeout(() => res.write(text.slice(30, text.length - 20)), 10);
      setTimeout(() => {
        res.write(text.slice(text.length - 20));
        setTimeout(() => res.socket?.destroy(), 10);
      }, 20);
      return 'handled';
    });
    const events: WatchEvent[] = [];
    const handle = await client.watch(
      CM,
      { namespace: 'ns1', resourceVersion: '3', allowBookmarks: true, labelSelector: 'a=b' },
      (e) => events.push(e),
      new AbortController().signal,
    );
    await handle.done;
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.resourceVersion]),
      [
        ['ADDED', '4'],
        ['BOOKMARK', '5'],
        ['DELETED', '6'],
      ],
    );
    const q = Object.fromEntries(server.seen.at(-1)?.query ?? []);
    assert.equal(q.watch, '1');
    assert.equal(q.resourceVersion, '3');
    assert.equal(q.allowWatchBookmarks, 'true');
    assert.equal(q.labelSelector, 'a=b');
    assert.match(q.timeoutSeconds ?? '', /^\d+$/);
  });

  it('ends after an ERROR event and on abort, delivering nothing more', async () => {
    const { client } = await setup((_r, res) => {
      res.writeHead(200);
      res.write(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', message: 'too old', code: 410 } })}\n`,
      );
      res.write(`${JSON.stringify({ type: 'ADDED', object: cm })}\n`);
      return 'handled';
    });
    const events: WatchEvent[] = [];
    const handle = await client.watch(
      CM,
      { resourceVersion: '1' },
      (e) => events.push(e),
      new AbortController().signal,
    );
    await handle.done;
    assert.deepEqual(
      events.map((e) => e.type),
      ['ERROR'],
    );
    assert.equal(events[0]?.type === 'ERROR' && events[0].object.code, 410);

    const quiet = await setup((_r, res) => {
      res.writeHead(200);
      res.flushHeaders();
      return 'handled';
    });
    const ac = new AbortController();
    const open = await quiet.client.watch(CM, {}, () => assert.fail('no events expected'), ac.signal);
    ac.abort();
    await open.done;
  });

  it('a watch that cannot start rejects with the typed error', async () => {
    const { client } = await setup(() =>
      statusAnswer(403, 'Forbidden', 'configmaps is forbidden: User "x" cannot watch resource "configmaps"'),
    );
    await assert.rejects(
      client.watch(CM, {}, () => undefined, new AbortController().signal),
      /cannot watch/,
    );
  });
});
