// controller.separate (docs/adr/0007): the default render keeps one Deployment running both
// components; the split render adds a controller Deployment (`--components controller`) while the
// main one runs `--components webhook`, keeps its immutable selector, and alone backs the Service.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/kube.js';
import type { Values } from './chart.js';
import { ciValues, defaultValues, mergeValues, renderChart } from './chart.js';
import { at, containerOf, flag, get, one, ofKind } from './manifest-helpers.js';

type Labels = Record<string, string>;

const render = (overrides: Values): KubeObject[] => renderChart(overrides).manifests.map((m) => m.object);
const argsOf = (d: KubeObject): string[] => containerOf(d, 'sprout').args ?? [];
const selectorOf = (o: KubeObject): Labels => get<Labels>(o, 'spec', 'selector', 'matchLabels');
const podLabelsOf = (d: KubeObject): Labels => get<Labels>(d, 'spec', 'template', 'metadata', 'labels');
const selects = (selector: Labels, labels: Labels): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);
/** The flags other than --components, in order. */
const sharedFlags = (d: KubeObject): string[] => argsOf(d).filter((a) => !a.startsWith('--components='));

const defaults = render({});
const splitValues = ciValues('split-values.yaml');
const split = render(splitValues);
const values = mergeValues(defaultValues(), splitValues);

describe('the default render (controller.separate=false)', () => {
  const deploy = one(defaults, 'Deployment', 'sprout');

  it('has one Deployment running both components, with no --components flag', () => {
    assert.deepEqual(ofKind(defaults, 'Deployment').map((d) => d.metadata.name), ['sprout']);
    assert.equal(flag(argsOf(deploy), 'components'), undefined);
    assert.equal(argsOf(deploy)[0], 'serve');
    assert.equal(podLabelsOf(deploy)['app.kubernetes.io/component'], 'webhook-controller');
  });

  it('keeps the selector the chart has always had, and one Service and PDB on it', () => {
    assert.deepEqual(selectorOf(deploy), { 'app.kubernetes.io/name': 'sprout', 'app.kubernetes.io/instance': 'sprout' });
    assert.deepEqual(ofKind(defaults, 'Service').map((s) => s.metadata.name), ['sprout']);
    assert.deepEqual(selectorOf(one(defaults, 'PodDisruptionBudget')), selectorOf(deploy));
    assert.deepEqual(get(one(defaults, 'Service'), 'spec', 'selector'), selectorOf(deploy));
  });
});

describe('the split render (ci/split-values.yaml)', () => {
  const webhook = one(split, 'Deployment', 'sprout');
  const controller = one(split, 'Deployment', 'sprout-controller');

  it('runs the webhook in the main Deployment and the controller in its own, with the same other flags', () => {
    assert.deepEqual(ofKind(split, 'Deployment').map((d) => d.metadata.name).sort(), ['sprout', 'sprout-controller']);
    assert.equal(flag(argsOf(webhook), 'components'), 'webhook');
    assert.equal(flag(argsOf(controller), 'components'), 'controller');
    assert.equal(argsOf(controller)[0], 'serve');
    // Same Secret, Service name (the certificate's hosts), namespace, port, Lease settings.
    assert.deepEqual(sharedFlags(controller), sharedFlags(webhook));
    assert.equal(flag(argsOf(controller), 'workers'), '8');
  });

  it('sizes each Deployment from its own values', () => {
    assert.equal(get(webhook, 'spec', 'replicas'), 3);
    assert.equal(get(controller, 'spec', 'replicas'), get(values, 'controller', 'replicaCount'));
    assert.deepEqual(at(containerOf(webhook, 'sprout'), 'resources'), values['resources']);
    assert.deepEqual(at(containerOf(controller, 'sprout'), 'resources'), get(values, 'controller', 'resources'));
  });

  it('keeps the main Deployment selector of the default render (immutable on helm upgrade), labelling its pods webhook', () => {
    assert.deepEqual(selectorOf(webhook), selectorOf(one(defaults, 'Deployment', 'sprout')));
    assert.equal(podLabelsOf(webhook)['app.kubernetes.io/component'], 'webhook');
    assert.equal(podLabelsOf(controller)['app.kubernetes.io/component'], 'controller');
  });

  it('gives the Deployments selectors that never match each other\'s pods', () => {
    assert.ok(selects(selectorOf(webhook), podLabelsOf(webhook)));
    assert.ok(selects(selectorOf(controller), podLabelsOf(controller)));
    assert.ok(!selects(selectorOf(webhook), podLabelsOf(controller)), 'the main selector leaves controller pods alone');
    assert.ok(!selects(selectorOf(controller), podLabelsOf(webhook)), 'the controller selector leaves webhook pods alone');
  });

  it('sends admission to the webhook pods only', () => {
    const svc = one(split, 'Service', 'sprout');
    const selector = get<Labels>(svc, 'spec', 'selector');
    assert.ok(selects(selector, podLabelsOf(webhook)));
    assert.ok(!selects(selector, podLabelsOf(controller)));
    assert.equal(flag(argsOf(webhook), 'service-name'), 'sprout');
  });

  it('exposes the controller\'s /metrics through a Service of its own that the ServiceMonitor also selects', () => {
    const metrics = one(split, 'Service', 'sprout-controller');
    const selector = get<Labels>(metrics, 'spec', 'selector');
    assert.ok(selects(selector, podLabelsOf(controller)));
    assert.ok(!selects(selector, podLabelsOf(webhook)));
    const monitor = one(split, 'ServiceMonitor');
    for (const svc of ofKind(split, 'Service')) assert.ok(selects(selectorOf(monitor), svc.metadata.labels ?? {}), svc.metadata.name);
  });

  it('has two PodDisruptionBudgets, each over its own Deployment\'s pods', () => {
    const pdbs = ofKind(split, 'PodDisruptionBudget');
    assert.equal(pdbs.length, 2);
    assert.deepEqual(selectorOf(one(split, 'PodDisruptionBudget', 'sprout')), selectorOf(webhook));
    assert.deepEqual(selectorOf(one(split, 'PodDisruptionBudget', 'sprout-controller')), selectorOf(controller));
    assert.equal(get(one(split, 'PodDisruptionBudget', 'sprout-controller'), 'spec', 'minAvailable'), 1);
  });

  it('has no controller PodDisruptionBudget for a single controller replica', () => {
    const one1 = render({ controller: { separate: true, replicaCount: 1 } });
    assert.deepEqual(ofKind(one1, 'PodDisruptionBudget').map((p) => p.metadata.name), ['sprout']);
  });

  it('stops the webhook Deployment (the only one writing webhook configurations) before the uninstall hook deletes them', () => {
    const role = one(split, 'Role', 'sprout-webhooks-cleanup');
    const names = (role['rules'] as { resourceNames?: string[] }[]).flatMap((r) => r.resourceNames ?? []);
    assert.deepEqual(names, ['sprout']);
  });

  it('mentions the separate controller in NOTES.txt', () => {
    assert.match(renderChart(splitValues).notes, /controller \(Deployment\s+sprout-controller, 2 replica\(s\), one leads\)/);
  });
});

describe('controller.separate with other settings', () => {
  it('injects the cert-manager CA only from the webhook, which owns the configurations', () => {
    const objects = render({ controller: { separate: true }, tls: { mode: 'cert-manager' } });
    assert.equal(flag(argsOf(one(objects, 'Deployment', 'sprout')), 'inject-ca-from'), 'sprout/sprout-serving');
    assert.equal(flag(argsOf(one(objects, 'Deployment', 'sprout-controller')), 'inject-ca-from'), undefined);
    assert.equal(flag(argsOf(one(objects, 'Deployment', 'sprout-controller')), 'tls-mode'), 'cert-manager');
  });

  it('keeps names and label values distinct and within 63 characters for a long name', () => {
    const long = 'x'.repeat(63);
    const objects = render({ nameOverride: long, fullnameOverride: long, controller: { separate: true } });
    const [main, ctrl] = [one(objects, 'Deployment', long), ofKind(objects, 'Deployment').find((d) => d.metadata.name !== long)];
    assert.ok(ctrl);
    assert.ok((ctrl.metadata.name ?? '').length <= 63);
    const name = podLabelsOf(ctrl)['app.kubernetes.io/name'] ?? '';
    assert.ok(name.length <= 63 && name !== podLabelsOf(main)['app.kubernetes.io/name'], name);
    assert.ok(!selects(selectorOf(main), podLabelsOf(ctrl)));
  });
});
