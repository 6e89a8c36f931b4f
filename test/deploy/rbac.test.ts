// RBAC: least privilege (no wildcards, no escalation verbs), every binding resolves, Sprout's
// aggregated roles pick up grants labelled for Kyverno's controllers, and the names Sprout uses
// for its webhook configurations are the ones the roles and the cleanup hook name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { POLICY_VALIDATING, RESOURCE_MUTATING, RESOURCE_VALIDATING } from '../../src/webhook/configurations.js';
import type { KubeObject } from '../../src/api/kube.js';
import { at, cases, containerOf, get, one, ofKind } from './manifest-helpers.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const ALLOWED_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
const rulesOf = (role: KubeObject): Rule[] => (role['rules'] as Rule[] | undefined) ?? [];
const isHook = (o: KubeObject): boolean => o.metadata.annotations?.['helm.sh/hook'] !== undefined;

function grants(roles: KubeObject[], group: string, resource: string, verb: string): boolean {
  return roles.flatMap(rulesOf).some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

for (const c of cases) {
  describe(`RBAC rendered with ci/${c.file}`, () => {
    const roles = [...ofKind(c.objects, 'ClusterRole'), ...ofKind(c.objects, 'Role')];
    const sa = one(c.objects, 'Deployment', 'sprout');
    const saName = get<string>(sa, 'spec', 'template', 'spec', 'serviceAccountName');
    const bound = (o: KubeObject): boolean => get<{ name: string }[]>(o, 'subjects').some((s) => s.name === saName);
    const sproutRoles = [...ofKind(c.objects, 'ClusterRoleBinding'), ...ofKind(c.objects, 'RoleBinding')]
      .filter(bound)
      .map((b) => one(c.objects, get<string>(b, 'roleRef', 'kind'), get<string>(b, 'roleRef', 'name')));

    it('uses no wildcards and no escalation verbs', () => {
      for (const r of roles.flatMap(rulesOf)) {
        for (const field of [r.apiGroups, r.resources, r.verbs]) assert.ok(!field.includes('*'), JSON.stringify(r));
        for (const verb of r.verbs) assert.ok(ALLOWED_VERBS.has(verb), `verb ${verb}`);
        assert.ok(!r.resources.some((x) => x === 'clusterroles' || x === 'clusterrolebindings'), JSON.stringify(r));
      }
    });

    it('runs every Deployment (webhook and, when separate, controller) as the one ServiceAccount', () => {
      for (const d of ofKind(c.objects, 'Deployment')) assert.equal(get(d, 'spec', 'template', 'spec', 'serviceAccountName'), saName, d.metadata.name);
    });

    it('binds only roles that are rendered, to the ServiceAccount that is rendered', () => {
      assert.equal(one(c.objects, 'ServiceAccount', saName).metadata.namespace, 'sprout');
      for (const b of [...ofKind(c.objects, 'ClusterRoleBinding'), ...ofKind(c.objects, 'RoleBinding')]) {
        one(c.objects, get<string>(b, 'roleRef', 'kind'), get<string>(b, 'roleRef', 'name'));
        for (const s of get<{ kind: string; name: string; namespace: string }[]>(b, 'subjects')) {
          assert.equal(s.kind, 'ServiceAccount');
          assert.equal(one(c.objects, 'ServiceAccount', s.name).metadata.name, s.name);
          assert.equal(s.namespace, 'sprout');
        }
      }
    });

    it("grants Sprout's core needs", () => {
      const needs: [string, string, string][] = [
        ['kyverno.io', 'clusterpolicies', 'watch'], ['kyverno.io', 'policies', 'list'], ['kyverno.io', 'clusterpolicies/status', 'update'],
        ['wgpolicyk8s.io', 'policyreports', 'create'], ['wgpolicyk8s.io', 'clusterpolicyreports', 'update'],
        ['', 'events', 'create'], ['', 'namespaces', 'watch'], ['authorization.k8s.io', 'subjectaccessreviews', 'create'],
        ['apiextensions.k8s.io', 'customresourcedefinitions', 'list'],
        ['admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'create'],
        ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'watch'],
        ['coordination.k8s.io', 'leases', 'update'], ['', 'secrets', 'get'],
      ];
      for (const [g, r, verb] of needs) assert.ok(grants(sproutRoles, g, r, verb), `${verb} ${g}/${r}`);
      assert.ok(!grants(sproutRoles, 'kyverno.io', 'clusterpolicies', 'update'), 'Sprout never rewrites a policy spec');
    });

    it('lets Sprout change or delete only its own webhook configurations', () => {
      const names = new Map([['validatingwebhookconfigurations', [RESOURCE_VALIDATING, POLICY_VALIDATING]], ['mutatingwebhookconfigurations', [RESOURCE_MUTATING]]]);
      for (const r of sproutRoles.flatMap(rulesOf).filter((x) => x.apiGroups.includes('admissionregistration.k8s.io'))) {
        if (r.verbs.some((verb) => ['update', 'patch', 'delete', 'get'].includes(verb))) {
          assert.equal(r.resources.length, 1);
          assert.deepEqual([...(r.resourceNames ?? [])].sort(), [...(names.get(r.resources[0] ?? '') ?? [])].sort());
        }
      }
    });

    it('writes Secrets in its namespace only when it manages the certificate itself', () => {
      const role = one(c.objects, 'Role', 'sprout');
      const writes = grants([role], '', 'secrets', 'update');
      assert.equal(writes, get(c.values, 'tls', 'mode') === 'self-managed');
    });

    it("aggregates grants written for Kyverno's controllers and Sprout's own labels", () => {
      const pairs = [['generate', 'background-controller'], ['admission', 'admission-controller'], ['reports', 'reports-controller']];
      for (const [role, kyverno] of pairs) {
        const aggregated = one(c.objects, 'ClusterRole', `sprout:${role}`);
        assert.deepEqual(at(aggregated, 'aggregationRule', 'clusterRoleSelectors'), [
          { matchLabels: { [`rbac.kyverno.io/aggregate-to-${kyverno}`]: 'true' } },
          { matchLabels: { [`rbac.sprout.io/aggregate-to-${role}`]: 'true' } },
        ]);
        assert.ok(sproutRoles.includes(aggregated), `sprout:${role} is bound`);
      }
    });

    it('ships the default generate kinds with full access, through the aggregation label', () => {
      const defaults = one(c.objects, 'ClusterRole', 'sprout:generate:defaults');
      assert.equal(defaults.metadata.labels?.['rbac.sprout.io/aggregate-to-generate'], 'true');
      const kinds: [string, string][] = [['networking.k8s.io', 'networkpolicies'], ['', 'resourcequotas'], ['', 'limitranges'], ['', 'configmaps'], ['', 'secrets']];
      for (const [g, r] of kinds) for (const verb of ALLOWED_VERBS) assert.ok(grants([defaults], g, r, verb), `${verb} ${g}/${r}`);
      const readOnly = ofKind(c.objects, 'ClusterRole').filter((r) => /:(admission|reports):defaults$/.test(r.metadata.name ?? ''));
      for (const r of readOnly.flatMap(rulesOf)) assert.deepEqual(r.verbs, ['get', 'list', 'watch']);
    });

    it('cleans up the three webhook configurations before uninstall, when enabled', () => {
      const hooks = c.objects.filter(isHook);
      if (get(c.values, 'webhooksCleanup', 'enabled') !== true) {
        assert.deepEqual(hooks, []);
        return;
      }
      for (const h of hooks) assert.equal(h.metadata.annotations?.['helm.sh/hook'], 'pre-delete');
      const job = one(hooks, 'Job');
      const args = containerOf(job, 'delete-webhook-configurations').args ?? [];
      assert.deepEqual(args.filter((a) => a.includes('webhookconfiguration/')).sort(), [
        `mutatingwebhookconfiguration/${RESOURCE_MUTATING}`,
        `validatingwebhookconfiguration/${POLICY_VALIDATING}`,
        `validatingwebhookconfiguration/${RESOURCE_VALIDATING}`,
      ]);
      const init = get<{ args: string[] }[]>(job, 'spec', 'template', 'spec', 'initContainers')[0];
      assert.ok(init?.args.includes('deployment/sprout'), 'stops Sprout first so nothing re-creates them');
      const weight = (o: KubeObject): number => Number(o.metadata.annotations?.['helm.sh/hook-weight']);
      for (const h of hooks.filter((o) => o.kind !== 'Job')) assert.ok(weight(h) < weight(job), `${h.kind} exists before the Job`);
    });
  });
}
