// Correctness guard for engine optimisations: evaluates every generate policy (the benchmark's 50, the
// CLI corpus and the conformance suites) against every resource found beside them, in six request
// shapes (CREATE, CREATE with a user, UPDATE both ways, DELETE, background), with and without the
// suites' CLI values, and writes one JSON line per evaluation. Run it before and after a change and
// compare the files byte for byte:
//   npx tsc -p tsconfig.json && node dist/bench/engine/plans-snapshot.js /tmp/before.jsonl
//   ... change the engine ...
//   npx tsc -p tsconfig.json && node dist/bench/engine/plans-snapshot.js /tmp/after.jsonl && cmp /tmp/before.jsonl /tmp/after.jsonl
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonObject, JsonValue } from '../../src/api/json.js';
import { isJsonObject } from '../../src/api/json.js';
import type { KubeObject } from '../../src/api/kube.js';
import { gvkOf } from '../../src/api/kube.js';
import type { KyvernoPolicy } from '../../src/api/policy.js';
import type { ContextLookup, EvalEnv } from '../../src/engine/env.js';
import { evaluateGenerate } from '../../src/engine/generate/evaluate.js';
import { PolicyIndex } from '../../src/engine/policy-index.js';
import type { PolicyRequest } from '../../src/engine/request.js';
import type { ContextValues } from '../../src/engine/values.js';
import { parsePolicyDocuments } from '../../src/policy/documents.js';
import { parseYamlDocuments } from '../../src/policy/yaml.js';
import { benchmarkPolicies } from './policies.js';

const ROOTS = ['../shared/corpus/cli/generate', 'test/conformance/suites'];
const out = process.argv[2] ?? 'plans-snapshot.jsonl';

function yamlFiles(dir: string, acc: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, acc);
    else if (/\.ya?ml$/.test(name)) acc.push(p);
  }
  return acc;
}

const policies: { policy: KyvernoPolicy; file: string }[] = [];
const resources: KubeObject[] = [];
const valuesByDir = new Map<string, JsonObject>();
for (const file of ROOTS.flatMap((r) => yamlFiles(r))) {
  const text = readFileSync(file, 'utf8');
  for (const lp of parsePolicyDocuments(text, file).policies) {
    if (lp.policy.spec.rules.some((r) => r.generate)) policies.push({ policy: lp.policy, file });
  }
  let docs: { value: JsonValue }[] = [];
  try {
    docs = parseYamlDocuments(text, file);
  } catch {
    continue;
  }
  for (const { value } of docs) {
    if (!isJsonObject(value)) continue;
    const kind = value['kind'];
    if (kind === 'Values') valuesByDir.set(dirname(file), value);
    else if (kind === 'Test' && isJsonObject(value['values'])) valuesByDir.set(dirname(file), value['values']);
    else if (typeof kind === 'string' && isJsonObject(value['metadata']) && !['ClusterPolicy', 'Policy', 'Test', 'UserInfo'].includes(kind))
      resources.push(value as unknown as KubeObject);
  }
}
for (const policy of benchmarkPolicies(50)) policies.push({ policy, file: 'bench' });
const namespace: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'payments', uid: 'u-1', labels: { team: 'blue', env: 'prod' }, annotations: { 'example.com/environments': 'dev,skip-this,prod' } },
};
resources.push(namespace, { ...namespace, metadata: { ...namespace.metadata, name: 'kube-x', labels: { team: 'green', env: 'dev', replicas: '0' } } });
resources.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'payments', labels: { team: 'red' } }, spec: { replicas: 2 } });

type ValuesFile = { globalValues?: Record<string, JsonValue>; policies?: { name: string; resources?: { name: string; values?: Record<string, JsonValue> }[]; rules?: { name: string; values?: Record<string, JsonValue>; foreachValues?: Record<string, JsonValue[]> }[] }[] };

/** The CLI values of the nearest Values file, as `kyverno test` would pass them. */
function valuesFor(file: string, policyName: string, resource: KubeObject): ContextValues | undefined {
  let dir = dirname(file);
  for (let i = 0; i < 4 && dir.length > 1; i++, dir = dirname(dir)) {
    const v = (valuesByDir.get(dir) ?? valuesByDir.get(join(dir, '.kyverno-test'))) as ValuesFile | undefined;
    if (v === undefined) continue;
    const p = v.policies?.find((x) => x.name === policyName);
    const o: ContextValues = { global: v.globalValues ?? {}, rules: {} };
    const res = p?.resources?.find((r) => r.name === resource.metadata.name);
    if (res?.values) o.resource = res.values;
    for (const r of p?.rules ?? []) o.rules = { ...o.rules, [r.name]: { values: r.values ?? {}, foreachValues: r.foreachValues ?? {} } };
    return o;
  }
  return undefined;
}

function changed(o: KubeObject): KubeObject {
  const c = structuredClone(o);
  const labels: Record<string, string> = { ...(c.metadata.labels ?? {}), changed: 'yes' };
  if (labels['env'] !== undefined) labels['env'] = 'dev';
  c.metadata.labels = labels;
  return c;
}

let seed = 1;
const lookup: ContextLookup = {
  configMap: (ns, name) => Promise.resolve({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { key: 'value', count: '3', name } }),
  apiCall: (r) => Promise.resolve({ items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }], path: r.urlPath ?? r.url ?? '', count: 2 }),
  globalReference: (name) => Promise.resolve({ name, data: [1, 2] }),
};
const env: EvalEnv = {
  now: () => 1_700_000_000_000,
  random: () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  },
  lookup,
};
const user = { userInfo: { username: 'system:serviceaccount:team:deployer', groups: ['system:authenticated'] }, roles: ['team:dev'], clusterRoles: ['view'] };

const lines: string[] = [];
for (const { policy, file } of policies) {
  for (const res of resources) {
    const requests: [string, PolicyRequest][] = [
      ['CREATE', { operation: 'CREATE', object: res }],
      ['CREATE-user', { operation: 'CREATE', object: res, user }],
      ['UPDATE', { operation: 'UPDATE', object: changed(res), oldObject: res }],
      ['UPDATE-rev', { operation: 'UPDATE', object: res, oldObject: changed(res) }],
      ['DELETE', { operation: 'DELETE', oldObject: res }],
      ['BG', { operation: '', object: res }],
    ];
    const values = valuesFor(file, policy.metadata.name, res);
    for (const [label, req] of requests) {
      for (const v of values ? [undefined, values] : [undefined]) {
        seed = 1;
        let r: unknown;
        try {
          r = await evaluateGenerate(policy, req, env, v ? { values: v } : {});
        } catch (e) {
          r = { thrown: String(e) };
        }
        const ref = `${res.kind}/${res.metadata.namespace ?? ''}/${res.metadata.name}`;
        lines.push(JSON.stringify({ pol: `${file}:${policy.metadata.name}`, res: ref, label, v: v !== undefined, r }));
      }
    }
  }
}
const index = new PolicyIndex(policies.map((x) => x.policy));
for (const res of resources) lines.push(JSON.stringify({ idx: res.kind, c: index.candidates(gvkOf(res)).map((p) => p.metadata.name) }));
writeFileSync(out, `${lines.join('\n')}\n`);
process.stdout.write(`${policies.length} policies, ${resources.length} resources, ${lines.length} lines -> ${out}\n`);
