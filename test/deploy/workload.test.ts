// The rendered Deployments, Services, PodDisruptionBudgets, certificates and monitoring objects, for
// every ci values file: structure, lock-down, and the wiring between them (ports, labels, TLS). The
// split into a webhook and a controller Deployment has its own checks in components.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/kube.js';
import { renderChart } from './chart.js';
import { at, cases, containerOf, flag, get, one, ofKind } from './manifest-helpers.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RBAC_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding']);

for (const c of cases) {
  describe(`chart rendered with ci/${c.file}`, () => {
    const v = c.values as Record<string, Record<string, unknown>>;
    // The main Deployment (webhook, and controller unless controller.separate); the other, if any, is the controller.
    const deploy = one(c.objects, 'Deployment', 'sprout');
    const sprout = containerOf(deploy, 'sprout');
    const args = sprout.args ?? [];
    const deployments = ofKind(c.objects, 'Deployment');
    const separate = get(v, 'controller', 'separate') === true;
    const resourcesOf = (d: KubeObject): unknown => (d === deploy ? v.resources : get(v, 'controller', 'resources'));

    it('gives every object apiVersion, kind and a valid name, unique per kind and namespace', () => {
      const seen = new Set<string>();
      for (const o of c.objects) {
        assert.ok(o.apiVersion && o.kind, `${JSON.stringify(o).slice(0, 80)} lacks apiVersion/kind`);
        const name = o.metadata.name ?? '';
        assert.ok(name.length > 0 && name.length <= 253, `${o.kind} name length`);
        // RBAC names are path segments (":" allowed, as in sprout:generate); the rest are DNS subdomains.
        if (RBAC_KINDS.has(o.kind)) assert.match(name, /^[a-z0-9][-a-z0-9.:]*[a-z0-9]$/, `${o.kind} ${name}`);
        else assert.match(name, DNS_SUBDOMAIN, `${o.kind} ${name}`);
        const key = `${o.kind}/${o.metadata.namespace ?? ''}/${name}`;
        assert.ok(!seen.has(key), `duplicate ${key}`);
        seen.add(key);
      }
    });

    it('puts namespaced objects in the release namespace and labels everything', () => {
      for (const o of c.objects) {
        assert.equal(o.metadata.namespace, CLUSTER_SCOPED.has(o.kind) ? undefined : 'sprout', `${o.kind} ${o.metadata.name}`);
        assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm', `${o.kind} ${o.metadata.name}`);
      }
    });

    it('never templates the webhook configurations Sprout manages itself', () => {
      assert.deepEqual(ofKind(c.objects, 'ValidatingWebhookConfiguration'), []);
      assert.deepEqual(ofKind(c.objects, 'MutatingWebhookConfiguration'), []);
    });

    it('runs the configured replicas, image and flags', () => {
      assert.equal(get(deploy, 'spec', 'replicas'), v.replicaCount);
      assert.equal(sprout.image, `ghcr.io/sprout-policy/sprout:0.1.0`);
      assert.equal(args[0], 'serve');
      for (const a of args.slice(1)) assert.match(a, /^--[a-z-]+(=\S+)?$/, a);
      assert.equal(flag(args, 'webhook-port'), String(get(v, 'webhook', 'port')));
      assert.equal(flag(args, 'namespace'), 'sprout');
      assert.equal(flag(args, 'service-name'), one(c.objects, 'Service', 'sprout').metadata.name);
      assert.equal(flag(args, 'tls-mode'), get(v, 'tls', 'mode'));
      // `sprout serve` elects a leader unless told --no-leader-elect (a boolean flag, no value).
      assert.equal(args.includes('--no-leader-elect'), get(v, 'controller', 'leaderElect') === false);
      assert.equal(flag(args, 'log-level'), v.logLevel);
      for (const extra of get<string[]>(v, 'extraArgs')) assert.ok(args.includes(extra), extra);
    });

    it('renders the controller Deployment exactly when controller.separate is set', () => {
      assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), separate ? ['sprout', 'sprout-controller'] : ['sprout']);
    });

    it('locks every pod down', () => {
      for (const d of deployments) {
        const name = d.metadata.name;
        const pod = get<Record<string, unknown>>(d, 'spec', 'template', 'spec');
        const container = containerOf(d, 'sprout');
        assert.equal(at(pod, 'securityContext', 'runAsNonRoot'), true, name);
        assert.equal(at(pod, 'securityContext', 'seccompProfile', 'type'), 'RuntimeDefault', name);
        const sc = container.securityContext ?? {};
        assert.equal(sc.runAsNonRoot, true, name);
        assert.ok(typeof sc.runAsUser === 'number' && sc.runAsUser > 0, `${name}: numeric non-root user`);
        assert.equal(sc.readOnlyRootFilesystem, true, name);
        assert.equal(sc.allowPrivilegeEscalation, false, name);
        assert.equal(sc.privileged, false, name);
        assert.deepEqual(at(sc, 'capabilities', 'drop'), ['ALL'], name);
        assert.equal(at(sc, 'capabilities', 'add'), undefined, name);
        assert.equal(at(sc, 'seccompProfile', 'type'), 'RuntimeDefault', name);
        assert.deepEqual(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }], name);
        assert.ok(at(pod, 'volumes', 0, 'emptyDir') !== undefined, `${name}: /tmp is an emptyDir`);
        assert.equal(at(pod, 'hostNetwork'), undefined, name);
        assert.deepEqual(at(container, 'resources'), resourcesOf(d), name);
      }
    });

    it('prefers spreading each Deployment\'s replicas over nodes', () => {
      for (const d of deployments) {
        const term = at(d, 'spec', 'template', 'spec', 'affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', 0, 'podAffinityTerm');
        assert.equal(at(term, 'topologyKey'), 'kubernetes.io/hostname', d.metadata.name);
        assert.deepEqual(at(term, 'labelSelector', 'matchLabels'), get(d, 'spec', 'selector', 'matchLabels'), d.metadata.name);
      }
    });

    it('probes /healthz and /readyz over HTTPS on the webhook port, in every Deployment', () => {
      for (const d of deployments) {
        const container = containerOf(d, 'sprout');
        const port = container.ports?.find((p) => p.name === 'https');
        assert.equal(port?.containerPort, get(v, 'webhook', 'port'), d.metadata.name);
        const probes = { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/readyz' } as const;
        for (const [probe, path] of Object.entries(probes)) {
          const http = container[probe as keyof typeof probes]?.httpGet;
          assert.equal(http?.path, path, `${d.metadata.name} ${probe}`);
          assert.equal(http?.scheme, 'HTTPS', `${d.metadata.name} ${probe}`);
          assert.ok(http?.port === 'https' || http?.port === port?.containerPort, `${d.metadata.name} ${probe} uses the webhook port`);
        }
      }
    });

    it('routes the Service to the webhook port of these pods', () => {
      const svc = one(c.objects, 'Service', 'sprout');
      const ports = get<{ port: number; targetPort: string | number }[]>(svc, 'spec', 'ports');
      assert.equal(ports.length, 1);
      assert.equal(ports[0]?.port, get(v, 'service', 'port'));
      const target = ports[0]?.targetPort;
      const resolved = typeof target === 'string' ? sprout.ports?.find((p) => p.name === target)?.containerPort : target;
      assert.equal(resolved, get(v, 'webhook', 'port'));
      const podLabels = get<Record<string, string>>(deploy, 'spec', 'template', 'metadata', 'labels');
      for (const [k, val] of Object.entries(get<Record<string, string>>(svc, 'spec', 'selector'))) assert.equal(podLabels[k], val, k);
      assert.deepEqual(get(deploy, 'spec', 'selector', 'matchLabels'), get(svc, 'spec', 'selector'));
    });

    it('has a PodDisruptionBudget for each Deployment with more than one replica', () => {
      const pdbs = ofKind(c.objects, 'PodDisruptionBudget');
      const settingsOf = (d: KubeObject): unknown => (d === deploy ? get(v, 'podDisruptionBudget') : get(v, 'controller', 'podDisruptionBudget'));
      const budgeted = deployments.filter((d) => get<number>(d, 'spec', 'replicas') > 1 && at(settingsOf(d), 'enabled') === true);
      assert.deepEqual(pdbs.map((p) => p.metadata.name).sort(), budgeted.map((d) => d.metadata.name).sort());
      for (const pdb of pdbs) {
        const d = one(deployments, 'Deployment', pdb.metadata.name);
        const settings = settingsOf(d);
        assert.equal(get(pdb, 'spec', 'minAvailable'), at(settings, 'minAvailable'), d.metadata.name);
        assert.ok(get<number>(pdb, 'spec', 'minAvailable') < get<number>(d, 'spec', 'replicas'), `${d.metadata.name}: a drain can always evict one pod`);
        assert.deepEqual(get(pdb, 'spec', 'selector', 'matchLabels'), get(d, 'spec', 'selector', 'matchLabels'));
      }
    });

    it('creates cert-manager objects only in cert-manager mode, wired to the flags', () => {
      const certs = c.objects.filter((o) => o.apiVersion === 'cert-manager.io/v1');
      const mode = get<string>(v, 'tls', 'mode');
      if (mode !== 'cert-manager') {
        assert.deepEqual(certs, []);
        assert.equal(flag(args, 'inject-ca-from'), undefined);
        return;
      }
      const serving = one(c.objects, 'Certificate', 'sprout-serving');
      assert.equal(flag(args, 'inject-ca-from'), 'sprout/sprout-serving');
      assert.equal(get(serving, 'spec', 'secretName'), flag(args, 'tls-secret-name'));
      assert.ok(get<string[]>(serving, 'spec', 'dnsNames').includes('sprout.sprout.svc'));
      const issuer = get<{ name: string; kind: string }>(serving, 'spec', 'issuerRef');
      assert.equal(one(c.objects, issuer.kind, issuer.name).kind, 'Issuer');
    });

    it('uses the user-supplied Secret in secret mode', () => {
      const expected = get<string>(v, 'tls', 'mode') === 'secret' ? get<string>(v, 'tls', 'secretName') : 'sprout-tls';
      assert.equal(flag(args, 'tls-secret-name'), expected);
    });

    it('adds a ServiceMonitor only when enabled, scraping /metrics on the Service port', () => {
      const monitors = ofKind(c.objects, 'ServiceMonitor');
      assert.equal(monitors.length, get(v, 'serviceMonitor', 'enabled') === true ? 1 : 0);
      for (const m of monitors) {
        assert.deepEqual(at(m, 'spec', 'endpoints', 0, 'path'), '/metrics');
        assert.deepEqual(at(m, 'spec', 'endpoints', 0, 'port'), 'https');
      }
    });

    it('renders NOTES.txt', () => assert.match(c.rendered.notes, /Sprout 0\.1\.0 is running in namespace sprout/));
  });
}

describe('chart names', () => {
  it('prefixes objects with the release name when it does not contain the chart name', () => {
    const objects = renderChart({}, { name: 'prod', namespace: 'policy' }).manifests.map((m) => m.object);
    assert.equal(one(objects, 'Deployment').metadata.name, 'prod-sprout');
    assert.equal(one(objects, 'Deployment').metadata.namespace, 'policy');
    assert.ok(ofKind(objects, 'ClusterRole').some((r) => r.metadata.name === 'prod-sprout:generate'));
  });

  it('fails to render without a ServiceAccount name when it is not created', () => {
    assert.throws(() => renderChart({ serviceAccount: { create: false } }), /serviceAccount.name is required/);
  });
});
