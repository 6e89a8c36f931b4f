// The real kubectl against `sprout local` (or against $KUBECONFIG when set): apply, get in all
// output forms, watch, patch, delete, namespaces, impersonation, CRDs, and error replies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Target } from './target.js';
import { kubectlAvailable, openTarget } from './target.js';

const available = await kubectlAvailable();

describe('kubectl e2e', { skip: available ? false : 'kubectl is not installed (set KUBECTL or install kubernetes-client)' }, () => {
  let t: Target;
  let ns: string;
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await t.kubectl(args, stdin);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;

  before(async () => {
    t = await openTarget();
    ns = t.namespace;
    assert.equal((await ok(['create', 'namespace', ns])).trim(), `namespace/${ns} created`);
  });
  after(async () => {
    await t.close();
  });

  const configMap = (value: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web}
data:
  mode: ${value}
`;
  const deployment = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: ${image}
        env: [{name: MODE, value: fast}]
`;

  it('creates and updates built-in objects with apply -f', async () => {
    const created = await ok(['apply', '-n', ns, '-f', '-'], `${configMap('a')}---\n${deployment('nginx:1.0')}`);
    assert.match(created, /configmap\/settings created/);
    assert.match(created, /deployment.apps\/web created/);
    const updated = await ok(['apply', '-n', ns, '-f', '-'], `${configMap('b')}---\n${deployment('nginx:2.0')}`);
    assert.match(updated, /configmap\/settings configured/);
    assert.match(updated, /deployment.apps\/web configured/);
    const cm = await json<{ data: { mode: string } }>(['get', 'configmap', 'settings', '-n', ns]);
    assert.equal(cm.data.mode, 'b');
    const deploy = await json<{ metadata: { generation: number }; spec: { template: { spec: { containers: { image: string; env: unknown[] }[] } } } }>(['get', 'deploy', 'web', '-n', ns]);
    assert.equal(deploy.spec.template.spec.containers[0]?.image, 'nginx:2.0');
    assert.deepEqual(deploy.spec.template.spec.containers[0]?.env, [{ name: 'MODE', value: 'fast' }]);
    assert.equal(deploy.metadata.generation, 2);
  });

  it('prints YAML and tables', async () => {
    const doc = parseYaml(await ok(['get', 'configmap', 'settings', '-n', ns, '-o', 'yaml'])) as { kind: string; metadata: { labels: object } };
    assert.equal(doc.kind, 'ConfigMap');
    assert.deepEqual(doc.metadata.labels, { app: 'web' });
    const table = (await ok(['get', 'configmaps', '-n', ns])).split('\n');
    assert.match(table[0] ?? '', /^NAME\s+DATA\s+AGE$/);
    assert.ok(table.some((l) => /^settings\s+1\s+\d+s$/.test(l)), table.join('\n'));
    const all = await ok(['get', 'namespaces']);
    assert.match(all, /^NAME\s+STATUS\s+AGE/);
    assert.match(all, new RegExp(`\\n${ns}\\s+Active\\s`));
    const across = await ok(['get', 'configmaps', '-A', '-l', 'app=web']);
    assert.match(across, new RegExp(`^NAMESPACE\\s+NAME\\s+DATA\\s+AGE\\n${ns}\\s+settings\\s+1\\s`));
  });

  it('patches with merge, json and strategic patches', async () => {
    await ok(['patch', 'configmap', 'settings', '-n', ns, '--type', 'merge', '-p', '{"data":{"extra":"1"}}']);
    await ok(['patch', 'configmap', 'settings', '-n', ns, '--type', 'json', '-p', '[{"op":"replace","path":"/data/mode","value":"c"}]']);
    await ok(['patch', 'deployment', 'web', '-n', ns, '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:3.0"}]}}}}']);
    const cm = await json<{ data: object }>(['get', 'configmap', 'settings', '-n', ns]);
    assert.deepEqual(cm.data, { mode: 'c', extra: '1' });
    const deploy = await json<{ spec: { template: { spec: { containers: { image: string; env: unknown[] }[] } } } }>(['get', 'deploy', 'web', '-n', ns]);
    assert.equal(deploy.spec.template.spec.containers.length, 1, 'strategic merge kept one container (merge key: name)');
    assert.equal(deploy.spec.template.spec.containers[0]?.image, 'nginx:3.0');
  });

  it('streams changes with get --watch', async () => {
    const child = t.spawnKubectl(['get', 'configmaps', '-n', ns, '--watch']);
    let out = '';
    let created = false;
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no watch event in time; output so far:\n${out}`)), 15_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (/\nwatched\s+1\s/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
        // Create once the initial list is printed, so the change arrives through the watch.
        if (/^settings\s/m.test(out) && !created) {
          created = true;
          void ok(['create', 'configmap', 'watched', '-n', ns, '--from-literal=k=v']);
        }
      });
    });
    try {
      await seen;
    } finally {
      child.kill();
    }
    assert.match(out, /^NAME\s+DATA\s+AGE/);
  });

  it('deletes objects and reports NotFound afterwards', async () => {
    assert.match(await ok(['delete', 'configmap', 'watched', '-n', ns]), /configmap "watched" deleted/);
    const r = await t.kubectl(['get', 'configmap', 'watched', '-n', ns]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(NotFound\): configmaps "watched" not found/);
  });

  it('impersonates with --as and --as-group', async () => {
    const out = await ok(['--as', 'jane', '--as-group', 'system:masters', 'get', 'namespace', ns, '-o', 'name']);
    assert.equal(out.trim(), `namespace/${ns}`);
  });

  it('creates a CRD, then instances of it', async () => {
    const group = 'e2e.sprout.dev';
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.${group}}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gdg]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Size, type: string, jsonPath: .spec.size}
`;
    const gadget = (size: string): string => `apiVersion: ${group}/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: ${size}, parts: [a, b]}\n`;
    try {
      await ok(['apply', '-f', '-'], crd);
      await ok(['wait', '--for', 'condition=Established', `crd/gadgets.${group}`, '--timeout=30s']);
      assert.match(await ok(['apply', '-n', ns, '-f', '-'], gadget('small')), /gadget.e2e.sprout.dev\/g1 created/);
      assert.match(await ok(['apply', '-n', ns, '-f', '-'], gadget('large')), /gadget.e2e.sprout.dev\/g1 configured/);
      const table = await ok(['get', 'gdg', '-n', ns]);
      assert.match(table, /^NAME\s+SIZE\n/);
      assert.match(table, /\ng1\s+large\n/);
      await ok(['patch', 'gadget', 'g1', '-n', ns, '--type', 'merge', '-p', '{"spec":{"color":"red"}}']);
      const obj = await json<{ spec: object }>(['get', 'gadget', 'g1', '-n', ns]);
      assert.deepEqual(obj.spec, { size: 'large', parts: ['a', 'b'], color: 'red' });
      const strategic = await t.kubectl(['patch', 'gadget', 'g1', '-n', ns, '--type', 'strategic', '-p', '{"spec":{}}']);
      assert.notEqual(strategic.code, 0, 'custom resources take no strategic merge patch');
      assert.match(strategic.stderr, /strategic-merge-patch\+json is not supported/);
    } finally {
      await t.kubectl(['delete', 'crd', `gadgets.${group}`, '--ignore-not-found']);
    }
  });

  it('applies server-side', async () => {
    const out = await ok(['apply', '--server-side', '--field-manager', 'e2e', '-n', ns, '-f', '-'], configMap('ssa'));
    assert.match(out, /configmap\/settings serverside-applied/);
    assert.equal((await json<{ data: { mode: string } }>(['get', 'cm', 'settings', '-n', ns])).data.mode, 'ssa');
  });

  it('shows the server\'s Status for bad requests', async () => {
    const invalid = await t.kubectl(['create', 'namespace', 'Not_A_Name']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /The Namespace "Not_A_Name" is invalid: metadata.name: Invalid value: "Not_A_Name"/);
    const exists = await t.kubectl(['create', 'namespace', ns]);
    assert.match(exists.stderr, new RegExp(`Error from server \\(AlreadyExists\\): namespaces "${ns}" already exists`));
    const unknown = await t.kubectl(['get', 'frobnicators']);
    assert.match(unknown.stderr, /the server doesn't have a resource type "frobnicators"/);
  });
});
