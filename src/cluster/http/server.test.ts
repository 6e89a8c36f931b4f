// The embedded server over plain HTTPS: discovery, CRUD, and the Status replies for bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalServer } from './server.js';
import { startLocalServer } from './server.js';
import type { ApiResponse } from './testing.js';
import { apiRequest } from './testing.js';

interface StatusBody {
  kind: string;
  code: number;
  reason: string;
  message: string;
}

function statusOf(r: ApiResponse): StatusBody {
  return r.json as StatusBody;
}

describe('embedded API server over HTTPS', () => {
  let server: LocalServer;
  before(async () => {
    server = await startLocalServer();
  });
  after(async () => {
    await server.close();
  });
  const call = (method: string, path: string, options?: Parameters<typeof apiRequest>[3]): Promise<ApiResponse> => apiRequest(server, method, path, options);
  const cm = (name: string): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

  it('serves discovery documents', async () => {
    const version = await call('GET', '/version');
    assert.equal((version.json as { major: string }).major, '1');
    const api = await call('GET', '/api/v1');
    const names = (api.json as { resources: { name: string }[] }).resources.map((r) => r.name);
    assert.ok(names.includes('configmaps') && names.includes('pods/status'));
    const groups = (await call('GET', '/apis')).json as { groups: { name: string; preferredVersion: { version: string } }[] };
    assert.equal(groups.groups.find((g) => g.name === 'autoscaling')?.preferredVersion.version, 'v2');
    const root = (await call('GET', '/openapi/v3')).json as { paths: Record<string, unknown> };
    assert.ok('apis/apps/v1' in root.paths);
  });

  it('creates, reads, lists, patches and deletes', async () => {
    assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('crud') })).status, 201);
    const got = await call('GET', '/api/v1/namespaces/default/configmaps/crud');
    assert.equal((got.json as { data: { a: string } }).data.a, '1');
    const patched = await call('PATCH', '/api/v1/namespaces/default/configmaps/crud', { body: { data: { b: '2' } }, contentType: 'application/merge-patch+json' });
    assert.deepEqual((patched.json as { data: object }).data, { a: '1', b: '2' });
    const list = (await call('GET', '/api/v1/configmaps?labelSelector=&limit=10')).json as { kind: string; items: unknown[] };
    assert.equal(list.kind, 'ConfigMapList');
    assert.ok(list.items.length >= 1);
    const del = await call('DELETE', '/api/v1/namespaces/default/configmaps/crud', { body: { propagationPolicy: 'Background' } });
    assert.equal(del.status, 200);
    assert.equal((del.json as { status: string }).status, 'Success');
  });

  it('answers Table requests with NAME and AGE columns', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('tabled') });
    const r = await call('GET', '/api/v1/namespaces/default/configmaps', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
    const table = r.json as { kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Data', 'Age']);
    assert.ok(table.rows.some((row) => row.cells[0] === 'tabled'));
  });

  const badInput: { name: string; method: string; path: string; options?: Parameters<typeof apiRequest>[3]; code: number; reason: string; message: RegExp }[] = [
    { name: 'malformed JSON', method: 'POST', path: '/api/v1/namespaces/default/configmaps', options: { body: '{"apiVersion": ', contentType: 'application/json' }, code: 400, reason: 'BadRequest', message: /^couldn't get version\/kind; json parse error/ },
    { name: 'malformed YAML', method: 'POST', path: '/api/v1/namespaces/default/configmaps', options: { body: 'a: [b', contentType: 'application/yaml' }, code: 400, reason: 'BadRequest', message: /^error converting YAML to JSON/ },
    { name: 'wrong content type', method: 'POST', path: '/api/v1/namespaces/default/configmaps', options: { body: 'x', contentType: 'text/plain' }, code: 415, reason: 'UnsupportedMediaType', message: /unknown format - accepted media types include: application\/json/ },
    { name: 'wrong patch type', method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/x', options: { body: '{}', contentType: 'application/json' }, code: 415, reason: 'UnsupportedMediaType', message: /application\/json-patch\+json/ },
    { name: 'unknown resource', method: 'GET', path: '/api/v1/namespaces/default/frobs', code: 404, reason: 'NotFound', message: /^the server could not find the requested resource$/ },
    { name: 'unknown group', method: 'GET', path: '/apis/nope.example.com/v1/things', code: 404, reason: 'NotFound', message: /could not find/ },
    { name: 'oversized body', method: 'POST', path: '/api/v1/namespaces/default/configmaps', options: { body: 'x'.repeat(3 * 1024 * 1024 + 1) }, code: 413, reason: 'RequestEntityTooLarge', message: /^Request entity too large: limit is 3145728$/ },
    { name: 'invalid name', method: 'POST', path: '/api/v1/namespaces/default/configmaps', options: { body: cm('Not_Valid') }, code: 422, reason: 'Invalid', message: /^ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value/ },
    { name: 'kind mismatch', method: 'POST', path: '/api/v1/namespaces/default/secrets', options: { body: cm('x') }, code: 400, reason: 'BadRequest', message: /kind in the data \(ConfigMap\)/ },
    { name: 'namespace mismatch', method: 'POST', path: '/api/v1/namespaces/kube-system/configmaps', options: { body: { ...cm('x'), metadata: { name: 'x', namespace: 'default' } } }, code: 400, reason: 'BadRequest', message: /does not match the namespace sent on the request/ },
    { name: 'missing object', method: 'GET', path: '/api/v1/namespaces/default/configmaps/absent', code: 404, reason: 'NotFound', message: /^configmaps "absent" not found$/ },
    { name: 'bad label selector', method: 'GET', path: '/api/v1/configmaps?labelSelector=a%20in%20(', code: 400, reason: 'BadRequest', message: /unable to parse requirement|expected/ },
    { name: 'no credentials', method: 'GET', path: '/api/v1/namespaces', options: { token: null }, code: 401, reason: 'Unauthorized', message: /^Unauthorized$/ },
    { name: 'unacceptable Accept', method: 'GET', path: '/api/v1/namespaces', options: { headers: { Accept: 'application/vnd.kubernetes.protobuf' } }, code: 406, reason: 'NotAcceptable', message: /only the following media types/ },
    { name: 'verb not served', method: 'GET', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', code: 405, reason: 'MethodNotAllowed', message: /list is not supported/ },
  ];
  for (const t of badInput) {
    it(`rejects ${t.name} with ${t.code}`, async () => {
      const r = await call(t.method, t.path, t.options);
      assert.equal(r.status, t.code, r.text);
      const s = statusOf(r);
      assert.equal(s.kind, 'Status');
      assert.equal(s.code, t.code);
      assert.equal(s.reason, t.reason);
      assert.match(s.message, t.message);
    });
  }

  it('keeps serving after bad input', async () => {
    assert.equal((await call('GET', '/api/v1/namespaces/default')).status, 200);
  });

  it('streams watch events as JSON lines and ends at timeoutSeconds', async () => {
    const list = (await call('GET', '/api/v1/namespaces/default/configmaps')).json as { metadata: { resourceVersion: string } };
    await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('watched') });
    const r = await call('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`);
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'watched']]);
  });

  it('answers a too-old watch with a 410 ERROR event', async () => {
    server.cluster.compact();
    const r = await call('GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1');
    const event = JSON.parse(r.text.trim()) as { type: string; object: StatusBody };
    assert.equal(event.type, 'ERROR');
    assert.equal(event.object.code, 410);
  });

  it('does a dry run without storing', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: cm('dry') });
    assert.equal(r.status, 201);
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });

  it('creates with server-side apply (YAML body) and needs a field manager', async () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v\n';
    const path = '/api/v1/namespaces/default/configmaps/ssa';
    const missing = await call('PATCH', path, { body, contentType: 'application/apply-patch+yaml' });
    assert.equal(missing.status, 400);
    const created = await call('PATCH', `${path}?fieldManager=test`, { body, contentType: 'application/apply-patch+yaml' });
    assert.equal(created.status, 201);
    assert.deepEqual((created.json as { data: object }).data, { k: 'v' });
  });

  it('pages lists with limit and continue', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await call('POST', '/api/v1/namespaces/kube-public/configmaps', { body: cm(name) });
    const first = (await call('GET', '/api/v1/namespaces/kube-public/configmaps?limit=2')).json as { items: { metadata: { name: string } }[]; metadata: { continue: string } };
    assert.deepEqual(first.items.map((i) => i.metadata.name), ['page-a', 'page-b']);
    const rest = (await call('GET', `/api/v1/namespaces/kube-public/configmaps?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)).json as { items: { metadata: { name: string } }[]; metadata: { continue?: string } };
    assert.deepEqual(rest.items.map((i) => i.metadata.name), ['page-c']);
    assert.equal(rest.metadata.continue, undefined);
  });
});

describe('embedded API server shutdown', () => {
  it('ends open watches and closes', async () => {
    const server = await startLocalServer();
    const watching = apiRequest(server, 'GET', '/api/v1/configmaps?watch=1');
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    const r = await watching;
    assert.equal(r.status, 200);
  });
});
