// The chart's CRDs: structural schemas, Kyverno's names and printer columns, accepted by Sprout's
// in-memory API server, and instances (the example policies, reports) pass their schemas without
// losing fields to pruning.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/kube.js';
import { MemoryCluster } from '../../src/cluster/memory/index.js';
import { repoRoot } from '../support/paths.js';
import { chartCrds, parseYaml } from './chart.js';
import type { Schema } from './json-schema.js';
import { validateJsonSchema } from './json-schema.js';
import { at, get } from './manifest-helpers.js';
import { structuralProblems } from './structural-schema.js';

interface Version {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: unknown };
  subresources?: Record<string, unknown>;
  additionalPrinterColumns?: { name: string; jsonPath: string; priority?: number }[];
}

const crds = chartCrds().map((c) => c.object);
const crd = (name: string): KubeObject => {
  const found = crds.find((c) => c.metadata.name === name);
  if (found === undefined) throw new Error(`no CRD ${name}`);
  return found;
};
const versions = (c: KubeObject): Version[] => get<Version[]>(c, 'spec', 'versions');
const schemaOf = (c: KubeObject, version: string): unknown => versions(c).find((v) => v.name === version)?.schema.openAPIV3Schema;

const policy = (kind: string, apiVersion: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: `sample-${kind.toLowerCase()}`, ...(namespace ? { namespace } : {}) },
  spec: {
    background: true,
    rules: [{
      name: 'default-deny',
      match: { any: [{ resources: { kinds: ['Namespace'] } }] },
      generate: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'deny', namespace: '{{request.object.metadata.name}}', synchronize: true, data: { spec: { podSelector: {} } } },
    }],
  },
});
const report = (kind: string, namespace?: string): KubeObject => ({
  apiVersion: 'wgpolicyk8s.io/v1alpha2',
  kind,
  metadata: { name: `sample-${kind.toLowerCase()}`, ...(namespace ? { namespace } : {}) },
  scope: { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' },
  summary: { pass: 1, fail: 1, warn: 0, error: 0, skip: 0 },
  results: [
    { source: 'kyverno', policy: 'require-team-label', rule: 'check-team', result: 'fail', severity: 'medium', scored: true, message: 'label team is required', timestamp: { seconds: 1700000000, nanos: 0 }, resources: [{ apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }], properties: { process: 'background scan' } },
    { policy: 'default-deny', rule: 'default-deny', result: 'pass', timestamp: { seconds: 1700000000, nanos: 0 } },
  ],
});
const samples: [string, KubeObject][] = [
  ['clusterpolicies.kyverno.io', policy('ClusterPolicy', 'kyverno.io/v1')],
  ['clusterpolicies.kyverno.io', { ...policy('ClusterPolicy', 'kyverno.io/v2beta1'), metadata: { name: 'sample-v2beta1' } }],
  ['policies.kyverno.io', policy('Policy', 'kyverno.io/v1', 'default')],
  ['policyreports.wgpolicyk8s.io', report('PolicyReport', 'default')],
  ['clusterpolicyreports.wgpolicyk8s.io', report('ClusterPolicyReport')],
  ['updaterequests.kyverno.io', { apiVersion: 'kyverno.io/v2', kind: 'UpdateRequest', metadata: { name: 'ur-1', namespace: 'default' }, spec: { policy: 'p', requestType: 'generate', resource: { apiVersion: 'v1', kind: 'Namespace', name: 'x' } } }],
];

describe('chart CRDs', () => {
  it('are the five Sprout serves, with Kyverno short names and scopes', () => {
    const summary = crds.map((c) => [c.metadata.name, get(c, 'spec', 'scope'), get<string[]>(c, 'spec', 'names', 'shortNames').join(), versions(c).map((v) => v.name).join()]);
    assert.deepEqual(summary, [
      ['clusterpolicies.kyverno.io', 'Cluster', 'cpol', 'v1,v2beta1'],
      ['policies.kyverno.io', 'Namespaced', 'pol', 'v1,v2beta1'],
      ['updaterequests.kyverno.io', 'Namespaced', 'ur', 'v2'],
      ['clusterpolicyreports.wgpolicyk8s.io', 'Cluster', 'cpolr', 'v1alpha2'],
      ['policyreports.wgpolicyk8s.io', 'Namespaced', 'polr', 'v1alpha2'],
    ]);
  });

  for (const c of crds) {
    it(`${c.metadata.name} has structural schemas and one storage version`, () => {
      assert.equal(versions(c).filter((v) => v.storage).length, 1);
      for (const v of versions(c)) assert.deepEqual(structuralProblems(v.schema.openAPIV3Schema), [], v.name);
    });
  }

  it('serve ClusterPolicy and Policy with one schema, v1 stored and v2beta1 served, with status', () => {
    for (const name of ['clusterpolicies.kyverno.io', 'policies.kyverno.io']) {
      assert.deepEqual(versions(crd(name)).map((v) => [v.name, v.served, v.storage, v.subresources]), [['v1', true, true, { status: {} }], ['v2beta1', true, false, { status: {} }]]);
      assert.deepEqual(schemaOf(crd(name), 'v1'), schemaOf(crd(name), 'v2beta1'));
    }
    assert.deepEqual(schemaOf(crd('clusterpolicies.kyverno.io'), 'v1'), schemaOf(crd('policies.kyverno.io'), 'v1'));
  });

  it("print Kyverno's policy columns, READY from the Ready condition", () => {
    const cols = versions(crd('clusterpolicies.kyverno.io'))[0]?.additionalPrinterColumns ?? [];
    assert.deepEqual(cols.filter((x) => !x.priority).map((x) => [x.name, x.jsonPath]), [
      ['ADMISSION', '.spec.admission'], ['BACKGROUND', '.spec.background'],
      ['READY', '.status.conditions[?(@.type=="Ready")].status'], ['AGE', '.metadata.creationTimestamp'],
    ]);
  });

  for (const [name, obj] of samples) {
    it(`${name} accepts a sample ${obj.kind} (${obj.apiVersion}) without pruning`, () => {
      const version = obj.apiVersion.split('/')[1] ?? '';
      assert.deepEqual(validateJsonSchema(schemaOf(crd(name), version) as Schema, obj, { dialect: 'openapi' }), []);
    });
  }

  it('accept every example policy without pruning', () => {
    const dir = join(repoRoot, 'examples', 'policies');
    const policies = readdirSync(dir).flatMap((f) => parseYaml(readFileSync(join(dir, f), 'utf8'), f) as KubeObject[]);
    assert.ok(policies.length >= 4);
    for (const p of policies) {
      const name = p.kind === 'ClusterPolicy' ? 'clusterpolicies.kyverno.io' : 'policies.kyverno.io';
      assert.deepEqual(validateJsonSchema(schemaOf(crd(name), p.apiVersion.split('/')[1] ?? '') as Schema, p, { dialect: 'openapi' }), [], p.metadata.name);
    }
  });

  it('reject a report result with an unknown outcome', () => {
    const bad = report('PolicyReport', 'default');
    (bad['results'] as { result: string }[])[0]!.result = 'failed';
    const errors = validateJsonSchema(schemaOf(crd('policyreports.wgpolicyk8s.io'), 'v1alpha2') as Schema, bad, { dialect: 'openapi' });
    assert.deepEqual(errors, ['.results[0].result: must be one of ["pass","fail","warn","error","skip"]']);
  });

  it("load into Sprout's API server, which then serves instances of each and the status subresource", async () => {
    const cluster = new MemoryCluster({ sproutCrds: false });
    for (const c of crds) await cluster.create(c);
    for (const [, obj] of samples) await cluster.create(obj);
    const cpol = await cluster.get({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'sample-clusterpolicy' });
    const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Ready' }] };
    const updated = await cluster.updateStatus({ ...cpol, status: ready });
    assert.deepEqual(at(updated, 'status', 'conditions', 0, 'status'), 'True');
    const listed = await cluster.list({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport' }, { namespace: 'default' });
    assert.equal(listed.items.length, 1);
  });

  it("match what Sprout's embedded server preinstalls (names, scope, versions, short names)", async () => {
    const key = (r: { group: string; version: string; kind: string; resource: string; namespaced: boolean; shortNames: string[] }): string =>
      `${r.group}/${r.version} ${r.kind} ${r.resource} ${r.namespaced} ${r.shortNames.join()}`;
    const custom = async (cluster: MemoryCluster): Promise<string[]> =>
      (await cluster.resources()).filter((r) => r.group === 'kyverno.io' || r.group === 'wgpolicyk8s.io').map(key).sort();
    const fromChart = new MemoryCluster({ sproutCrds: false });
    for (const c of crds) await fromChart.create(c);
    assert.deepEqual(await custom(fromChart), await custom(new MemoryCluster()));
  });
});
