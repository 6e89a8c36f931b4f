// The rendered Deployment, Service, PodDisruptionBudget, certificates and monitoring objects, for
// every ci values file: structure, lock-down, and the wiring between them (ports, labels, TLS).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderChart } from './chart.js';
import { at, cases, containerOf, flag, get, one, ofKind } from './manifest-helpers.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RBAC_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding']);

for (const c of cases) {
  describe(`chart rendered with ci/${c.file}`, () => {
    const v = c.values as Record<string, Record<string, unknown>>;
    const deploy = one(c.objects, 'Deployment');
    const sprout = containerOf(deploy, 'sprout');
    const args = sprout.args ?? [];

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
      for (const a of args.slice(1)) assert.match(a, /^--[a-z-]+=\S+$/, a);
      assert.equal(flag(args, 'webhook-port'), String(get(v, 'webhook', 'port')));
      assert.equal(flag(args, 'namespace'), 'sprout');
      assert.equal(flag(args, 'service-name'), one(c.objects, 'Service').metadata.name);
      assert.equal(flag(args, 'tls-mode'), get(v, 'tls', 'mode'));
      assert.equal(flag(args, 'leader-elect'), String(get(v, 'controller', 'leaderElect')));
      assert.equal(flag(args, 'log-level'), v.logLevel);
      for (const extra of get<string[]>(v, 'extraArgs')) assert.ok(args.includes(extra), extra);
    });

    it('locks the pod down', () => {
      const pod = get<Record<string, unknown>>(deploy, 'spec', 'template', 'spec');
      assert.equal(at(pod, 'securityContext', 'runAsNonRoot'), true);
      assert.equal(at(pod, 'securityContext', 'seccompProfile', 'type'), 'RuntimeDefault');
      const sc = sprout.securityContext ?? {};
      assert.equal(sc.runAsNonRoot, true);
      assert.ok(typeof sc.runAsUser === 'number' && sc.runAsUser > 0, 'numeric non-root user');
      assert.equal(sc.readOnlyRootFilesystem, true);
      assert.equal(sc.allowPrivilegeEscalation, false);
      assert.equal(sc.privileged, false);
      assert.deepEqual(at(sc, 'capabilities', 'drop'), ['ALL']);
      assert.equal(at(sc, 'capabilities', 'add'), undefined);
      assert.equal(at(sc, 'seccompProfile', 'type'), 'RuntimeDefault');
      assert.deepEqual(sprout.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
      assert.ok(at(pod, 'volumes', 0, 'emptyDir') !== undefined, '/tmp is an emptyDir');
      assert.equal(at(pod, 'hostNetwork'), undefined);
      assert.deepEqual(at(sprout, 'resources'), v.resources);
    });

    it('prefers spreading replicas over nodes', () => {
      const term = at(deploy, 'spec', 'template', 'spec', 'affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', 0, 'podAffinityTerm');
      assert.equal(at(term, 'topologyKey'), 'kubernetes.io/hostname');
      assert.deepEqual(at(term, 'labelSelector', 'matchLabels'), get(deploy, 'spec', 'selector', 'matchLabels'));
    });

    it('probes /healthz and /readyz over HTTPS on the webhook port', () => {
      const port = sprout.ports?.find((p) => p.name === 'https');
      assert.equal(port?.containerPort, get(v, 'webhook', 'port'));
      const probes = { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/readyz' } as const;
      for (const [probe, path] of Object.entries(probes)) {
        const http = sprout[probe as keyof typeof probes]?.httpGet;
        assert.equal(http?.path, path, probe);
        assert.equal(http?.scheme, 'HTTPS', probe);
        assert.ok(http?.port === 'https' || http?.port === port?.containerPort, `${probe} uses the webhook port`);
      }
    });

    it('routes the Service to the webhook port of these pods', () => {
      const svc = one(c.objects, 'Service');
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

    it('has a PodDisruptionBudget exactly when there is more than one replica', () => {
      const pdbs = ofKind(c.objects, 'PodDisruptionBudget');
      assert.equal(pdbs.length, (v.replicaCount as unknown as number) > 1 ? 1 : 0);
      for (const pdb of pdbs) {
        assert.equal(get(pdb, 'spec', 'minAvailable'), get(v, 'podDisruptionBudget', 'minAvailable'));
        assert.ok((get<number>(pdb, 'spec', 'minAvailable')) < (v.replicaCount as unknown as number), 'a drain can always evict one pod');
        assert.deepEqual(get(pdb, 'spec', 'selector', 'matchLabels'), get(deploy, 'spec', 'selector', 'matchLabels'));
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
