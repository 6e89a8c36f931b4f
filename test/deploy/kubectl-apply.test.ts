// The real kubectl against Sprout's embedded API server: the chart's CRDs apply, the rendered
// manifests pass a server-side dry run, and `kubectl get cpol` prints Kyverno's columns.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/api/kube.js';
import { startLocalServer } from '../../src/cluster/http/index.js';
import type { LocalServer } from '../../src/cluster/http/index.js';
import { chartCrds } from './chart.js';
import { cases } from './manifest-helpers.js';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const available = await new Promise<boolean>((resolve) => execFile(KUBECTL, ['version', '--client'], (err) => resolve(err === null)));

/** Kinds whose CRDs (Prometheus Operator, cert-manager) a bare cluster does not have. */
const needsOtherCrds = (o: KubeObject): boolean => o.kind === 'ServiceMonitor' || o.apiVersion.startsWith('cert-manager.io/');
/**
 * The real API server validates RBAC names as path segments ("sprout:generate" is valid, as
 * Kyverno's "kyverno:background-controller" is); the embedded server still checks them as DNS
 * subdomains, so those objects are checked by rbac.test.ts instead of here.
 */
const embeddedRejectsName = (o: KubeObject): boolean => (o.metadata.name ?? '').includes(':');

describe('kubectl against the embedded API server', { skip: available ? false : 'kubectl is not installed' }, () => {
  let server: LocalServer;
  const kubectl = (args: string[], stdin = ''): Promise<{ code: number; out: string }> =>
    new Promise((resolve) => {
      const child = execFile(KUBECTL, args, { env: { ...process.env, KUBECONFIG: server.kubeconfigPath }, timeout: 20_000 }, (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : 1, out: stdout + stderr }),
      );
      child.stdin?.end(stdin);
    });
  const manifest = (objects: KubeObject[]): string => objects.map((o) => stringify(o)).join('---\n');

  before(async () => {
    server = await startLocalServer({ clusterOptions: { sproutCrds: false } });
    await server.cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
  });
  after(async () => server.close());

  it('applies the CRDs and serves Kyverno short names with the READY column', async () => {
    const applied = await kubectl(['apply', '-f', '-'], manifest(chartCrds().map((c) => c.object)));
    assert.equal(applied.code, 0, applied.out);
    assert.equal(applied.out.match(/customresourcedefinition\.apiextensions\.k8s\.io\/\S+ created/g)?.length, 5);
    // Set explicitly: the embedded server does not apply schema defaults as a real one would.
    const spec = { admission: true, background: false, rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Namespace'] } }] } }] };
    const policy = { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'demo' }, spec };
    assert.equal((await kubectl(['apply', '-f', '-'], stringify(policy))).code, 0);
    const live = await server.cluster.get({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'demo' });
    await server.cluster.updateStatus({ ...live, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Ready' }] } });
    const table = await kubectl(['get', 'cpol']);
    assert.equal(table.code, 0, table.out);
    assert.match(table.out, /^NAME\s+ADMISSION\s+BACKGROUND\s+READY\s+AGE\s*$/m);
    assert.match(table.out, /^demo\s+true\s+false\s+True\s+\d+s\s*$/m);
    assert.equal((await kubectl(['get', 'ur,polr,cpolr', '-A'])).code, 0);
  });

  for (const c of cases) {
    it(`accepts the manifests rendered with ci/${c.file} in a server-side dry run`, async () => {
      const objects = c.objects.filter((o) => !needsOtherCrds(o) && !embeddedRejectsName(o));
      const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], manifest(objects));
      assert.equal(r.code, 0, r.out);
      assert.equal(r.out.match(/ created \(server dry run\)/g)?.length, objects.length, r.out);
    });
  }
});
