// Sprout owns its webhook configurations. Rules are narrowed to the kinds and operations loaded
// policies match, so the API server only calls Sprout for requests a policy can care about.
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy, MatchResources } from '../api/policy.js';
import type { ClusterClient, ResourceInfo } from '../cluster/client.js';
import { NotFoundError } from '../cluster/errors.js';
import { kindsOf, parseKindSelector } from '../engine/match/index.js';

export const RESOURCE_VALIDATING = 'sprout-resource-validating-webhook-cfg';
export const RESOURCE_MUTATING = 'sprout-resource-mutating-webhook-cfg';
export const POLICY_VALIDATING = 'sprout-policy-validating-webhook-cfg';

export type ClientConfig =
  | { url: string; caBundle: string }
  | { service: { namespace: string; name: string; port: number }; caBundle: string };

export interface WebhookTarget {
  /** Where the API server reaches Sprout: a base URL, or a Service. */
  endpoint: { url: string } | { service: { namespace: string; name: string; port: number } };
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** Sprout's own namespace, never sent to the webhooks. */
  namespace: string;
  timeoutSeconds?: number;
  annotations?: Record<string, string>;
}

interface AdmissionRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope: '*';
}

const ALL_OPS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

function clientConfig(t: WebhookTarget, path: string): ClientConfig {
  const caBundle = Buffer.from(t.caPem).toString('base64');
  if ('url' in t.endpoint) return { url: `${t.endpoint.url.replace(/\/$/, '')}${path}`, caBundle };
  return { service: { ...t.endpoint.service, path } as never, caBundle };
}

function operationsOf(match: MatchResources): string[] {
  const filters = [match, ...(match.any ?? []), ...(match.all ?? [])];
  const ops = new Set(filters.flatMap((f) => f.resources?.operations ?? []));
  return ops.size > 0 ? [...ops] : ALL_OPS;
}

/** Admission rules for the kinds a set of rules matches, resolved through discovery. */
export async function admissionRules(
  matches: MatchResources[],
  cluster: ClusterClient,
): Promise<AdmissionRule[]> {
  const resources = await cluster.resources();
  const byResource = new Map<string, { group: string; resource: string; ops: Set<string> }>();
  for (const m of matches) {
    const ops = operationsOf(m);
    for (const sel of kindsOf(m)) {
      const s = parseKindSelector(sel);
      if (!s.valid) continue;
      for (const r of resolve(resources, s.group, s.version, s.kind)) {
        const resource = s.subresource ? `${r.resource}/${s.subresource}` : r.resource;
        const id = `${r.group}|${resource}`;
        const entry = byResource.get(id) ?? { group: r.group, resource, ops: new Set<string>() };
        for (const op of ops) entry.ops.add(op);
        byResource.set(id, entry);
      }
    }
  }
  return [...byResource.values()]
    .sort((a, b) => `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`))
    .map((e) => ({
      apiGroups: [e.group],
      apiVersions: ['*'],
      resources: [e.resource],
      operations: [...e.ops].sort(),
      scope: '*',
    }));
}

function resolve(all: ResourceInfo[], group: string, version: string, kind: string): ResourceInfo[] {
  const wild = (p: string, v: string): boolean => p === '' || p === '*' || p === v;
  const fits = all.filter(
    (r) => wild(group, r.group) && wild(version, r.version) && (kind === '*' || r.kind === kind),
  );
  const seen = new Set<string>();
  return fits.filter((r) => !seen.has(`${r.group}|${r.resource}`) && seen.add(`${r.group}|${r.resource}`));
}

/** Kyverno's effective failure policy: webhookConfiguration, then the deprecated spec field, then Fail. */
export function failurePolicyOf(p: KyvernoPolicy): 'Fail' | 'Ignore' {
  return p.spec.webhookConfiguration?.failurePolicy ?? p.spec.failurePolicy ?? 'Fail';
}

export async function desiredConfigurations(
  policies: KyvernoPolicy[],
  cluster: ClusterClient,
  t: WebhookTarget,
): Promise<KubeObject[]> {
  const rules = policies.flatMap((p) => p.spec.rules);
  const namespaceSelector = {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [t.namespace] }],
  };
  const common = {
    sideEffects: 'NoneOnDryRun',
    admissionReviewVersions: ['v1'],
    timeoutSeconds: t.timeoutSeconds ?? 10,
    namespaceSelector,
  };
  const generateRules = await admissionRules(
    rules.filter((r) => r.generate).map((r) => r.match),
    cluster,
  );
  // Validate and mutate webhooks come in two flavours, so each policy's failurePolicy is what the API
  // server applies when Sprout cannot be reached.
  const byFailurePolicy = async (type: 'validate' | 'mutate', path: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> => {
    const out: Record<string, unknown>[] = [];
    for (const fp of ['Fail', 'Ignore'] as const) {
      const matches = policies.filter((p) => failurePolicyOf(p) === fp).flatMap((p) => p.spec.rules.filter((r) => r[type]).map((r) => r.match));
      const webhookRules = await admissionRules(matches, cluster);
      if (webhookRules.length === 0) continue;
      out.push({ name: fp === 'Fail' ? `${type}.sprout.io` : `${type}-ignore.sprout.io`, clientConfig: clientConfig(t, path), rules: webhookRules, failurePolicy: fp, ...extra, ...common });
    }
    return out;
  };
  const validateHooks = await byFailurePolicy('validate', '/validate');
  const mutateHooks = await byFailurePolicy('mutate', '/mutate', { reinvocationPolicy: 'Never' });
  const validating: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: RESOURCE_VALIDATING, labels: { 'app.kubernetes.io/managed-by': 'sprout' }, ...(t.annotations ? { annotations: t.annotations } : {}) },
    webhooks: [
      // Generate never blocks admission: its webhook ignores failures.
      ...(generateRules.length > 0
        ? [
            {
              name: 'generate.sprout.io',
              clientConfig: clientConfig(t, '/validate'),
              rules: generateRules,
              failurePolicy: 'Ignore',
              ...common,
            },
          ]
        : []),
      ...validateHooks,
    ],
  };
  const mutating: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: RESOURCE_MUTATING, labels: { 'app.kubernetes.io/managed-by': 'sprout' }, ...(t.annotations ? { annotations: t.annotations } : {}) },
    webhooks: mutateHooks,
  };
  const policyValidating: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: POLICY_VALIDATING, labels: { 'app.kubernetes.io/managed-by': 'sprout' }, ...(t.annotations ? { annotations: t.annotations } : {}) },
    webhooks: [
      {
        name: 'policy.sprout.io',
        clientConfig: clientConfig(t, '/policy-validate'),
        rules: [
          {
            apiGroups: ['kyverno.io'],
            apiVersions: ['*'],
            resources: ['clusterpolicies', 'policies'],
            operations: ['CREATE', 'UPDATE'],
            scope: '*',
          },
        ],
        failurePolicy: 'Fail',
        ...common,
        namespaceSelector: {},
      },
    ],
  };
  return [validating, mutating, policyValidating];
}

/** Creates or updates the configurations to match; returns how many were written. */
export async function applyConfigurations(cluster: ClusterClient, desired: KubeObject[]): Promise<number> {
  let written = 0;
  for (const want of desired) {
    const ref = { apiVersion: want.apiVersion, kind: want.kind, name: want.metadata.name ?? '' };
    try {
      const live = await cluster.get(ref);
      if (JSON.stringify(live['webhooks'] ?? []) === JSON.stringify(want['webhooks'])) continue;
      await cluster.update({
        ...want,
        metadata: { ...want.metadata, resourceVersion: live.metadata.resourceVersion },
      });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      await cluster.create(want);
    }
    written++;
  }
  return written;
}
