// The offline path (`sprout apply`, `sprout test`): evaluate policies against resources from files
// (mutate, then validate on the mutated object, then generate, as Kyverno's CLI does) and generate into a fresh in-memory cluster seeded with the trigger and the clone sources, through
// the same applyGeneratePlan the controller uses — so the CLI and a cluster cannot disagree.
import type { Operation, RequestUser } from '../api/admission.js';
import type { KubeObject } from '../api/kube.js';
import { parseApiVersion } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import { policyKey } from '../api/policy.js';
import type { ClusterClient } from '../cluster/client.js';
import { AlreadyExistsError } from '../cluster/errors.js';
import type { EvalEnv } from '../engine/env.js';
import { evaluateGenerate } from '../engine/generate/evaluate.js';
import { evaluateMutate } from '../engine/mutate/evaluate.js';
import { evaluateValidate } from '../engine/validate/evaluate.js';
import type { RuleStatus, RuleType } from '../engine/result.js';
import type { ContextValues } from '../engine/values.js';
import { applyGeneratePlan } from './generate/apply-plan.js';

export interface OfflineRequest {
  policy: KyvernoPolicy;
  resource: KubeObject;
  operation: Operation;
  /** The object before the change, for UPDATE/DELETE simulations. */
  oldResource?: KubeObject;
  user?: RequestUser;
  namespaceLabels?: Record<string, string>;
  values?: ContextValues;
  /** Objects a generate rule may clone from, per rule name. */
  cloneSources?: (rule: string) => KubeObject[];
}

/** Every policy against one resource, in Kyverno's CLI order: all mutations, then validate, then generate. */
export interface OfflineResourceRequest {
  policies: KyvernoPolicy[];
  resource: KubeObject;
  operation: Operation;
  oldResource?: KubeObject;
  user?: RequestUser;
  namespaceLabels?: Record<string, string>;
  valuesFor?: (policy: KyvernoPolicy) => ContextValues | undefined;
  cloneSources?: (policy: KyvernoPolicy, rule: string) => KubeObject[];
}

export interface OfflineRuleResult {
  policy: string;
  rule: string;
  type: RuleType;
  status: RuleStatus;
  message: string;
  /** Generate: the downstream objects as they stand after generation. */
  generated: KubeObject[];
  /** Mutate: the resource after this policy's mutations (and those of the policies before it). */
  patched?: KubeObject;
}

export interface OfflineDeps {
  env: EvalEnv;
  /** A fresh, empty in-memory cluster. */
  newCluster: () => ClusterClient;
}

/** One policy against one resource. */
export async function evaluateOffline(req: OfflineRequest, deps: OfflineDeps): Promise<OfflineRuleResult[]> {
  const byPolicy = await evaluateResourceOffline(
    {
      ...req,
      policies: [req.policy],
      valuesFor: () => req.values,
      cloneSources: (_p, rule) => req.cloneSources?.(rule) ?? [],
    },
    deps,
  );
  return byPolicy.get(policyKey(req.policy)) ?? [];
}

const hasRules = (p: KyvernoPolicy, key: 'mutate' | 'validate' | 'generate'): boolean =>
  p.spec.rules.some((r) => r[key] !== undefined);

export async function evaluateResourceOffline(
  req: OfflineResourceRequest,
  deps: OfflineDeps,
): Promise<Map<string, OfflineRuleResult[]>> {
  const out = new Map<string, OfflineRuleResult[]>();
  const add = (p: KyvernoPolicy, rs: OfflineRuleResult[]): void => {
    out.set(policyKey(p), [...(out.get(policyKey(p)) ?? []), ...rs]);
  };
  const isDelete = req.operation === 'DELETE';
  const base = { operation: req.operation, user: req.user, namespaceLabels: req.namespaceLabels };
  let current = req.resource;
  for (const policy of req.policies.filter((p) => hasRules(p, 'mutate'))) {
    const m = await evaluateMutate(
      policy,
      { ...base, object: isDelete ? undefined : current, oldObject: oldFor(req, current) },
      deps.env,
      { values: req.valuesFor?.(policy) },
    );
    current = isDelete ? current : m.resource;
    const patched = current;
    add(
      policy,
      m.rules.map((r) => ({
        policy: policyKey(policy),
        rule: r.rule,
        type: 'mutate',
        status: r.status,
        message: r.message,
        generated: [],
        patched,
      })),
    );
  }
  for (const policy of req.policies.filter((p) => hasRules(p, 'validate'))) {
    const v = await evaluateValidate(
      policy,
      { ...base, object: isDelete ? undefined : current, oldObject: oldFor(req, current) },
      deps.env,
      { values: req.valuesFor?.(policy) },
    );
    add(
      policy,
      v.map((r) => ({
        policy: policyKey(policy),
        rule: r.rule,
        type: 'validate',
        status: r.status,
        message: r.message,
        generated: [],
      })),
    );
  }
  for (const policy of req.policies.filter((p) => hasRules(p, 'generate'))) {
    add(policy, await generateOffline(policy, { ...req, resource: current }, deps));
  }
  return out;
}

/** Kyverno's CLI simulates UPDATE with the resource as its own old object. */
function oldFor(req: OfflineResourceRequest, current: KubeObject): KubeObject | undefined {
  if (req.operation === 'DELETE') return req.resource;
  if (req.operation === 'UPDATE') return req.oldResource ?? current;
  return req.oldResource;
}

async function generateOffline(
  policy: KyvernoPolicy,
  req: OfflineResourceRequest,
  deps: OfflineDeps,
): Promise<OfflineRuleResult[]> {
  const isDelete = req.operation === 'DELETE';
  const outcomes = await evaluateGenerate(
    policy,
    {
      operation: req.operation,
      object: isDelete ? undefined : req.resource,
      oldObject: oldFor(req, req.resource),
      user: req.user,
      namespaceLabels: req.namespaceLabels,
    },
    deps.env,
    { values: req.valuesFor?.(policy) },
  );
  const results: OfflineRuleResult[] = [];
  for (const o of outcomes) {
    const r: OfflineRuleResult = {
      policy: policyKey(policy),
      rule: o.rule,
      type: 'generate',
      status: o.status,
      message: o.message,
      generated: [],
    };
    if (o.status === 'pass' && o.plan && o.plan.targets.length > 0) {
      const cluster = deps.newCluster();
      await seed(
        cluster,
        [o.trigger, ...(req.cloneSources?.(policy, o.rule) ?? [])],
        o.plan.targets.map(targetNamespace),
        o.plan.targets.flatMap((t) => (t.type === 'cloneList' ? [] : [t.target])),
      );
      const applied = await applyGeneratePlan(o.plan, cluster);
      r.generated = applied.objects.map((a) => withoutServerFields(a.object));
      if (applied.errors.length > 0) r.message = `failed to generate: ${applied.errors.join('; ')}`;
    }
    results.push(r);
  }
  return results;
}

function targetNamespace(t: { type: string; namespace?: string; target?: { namespace: string } }): string {
  return t.type === 'cloneList' ? (t.namespace ?? '') : (t.target?.namespace ?? '');
}

/**
 * Offline there is no real cluster: every namespace the objects or targets name is made to exist, and
 * kinds the cluster does not serve are registered as namespaced custom resources (Kyverno's CLI treats
 * unknown kinds as namespaced too).
 */
async function seed(
  cluster: ClusterClient,
  objects: KubeObject[],
  targetNamespaces: string[],
  targetKinds: { apiVersion: string; kind: string }[],
): Promise<void> {
  for (const k of [...objects, ...targetKinds]) await ensureKind(cluster, k.apiVersion, k.kind);
  const namespaces = new Set<string>(targetNamespaces.filter((n) => n !== ''));
  for (const o of objects) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
  const isNamespace = (o: KubeObject): boolean => o.kind === 'Namespace' && o.apiVersion === 'v1';
  for (const o of objects.filter(isNamespace)) namespaces.delete(o.metadata.name ?? '');
  for (const o of objects.filter(isNamespace)) await createIgnoringExisting(cluster, o);
  for (const ns of namespaces)
    await createIgnoringExisting(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const o of objects.filter((x) => !isNamespace(x))) await createIgnoringExisting(cluster, o);
}

async function createIgnoringExisting(cluster: ClusterClient, obj: KubeObject): Promise<void> {
  try {
    const copy = structuredClone(obj);
    delete copy.metadata.resourceVersion;
    await cluster.create(copy);
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
}

async function ensureKind(cluster: ClusterClient, apiVersion: string, kind: string): Promise<void> {
  if (!apiVersion.includes('/') || (await cluster.resolveKind({ apiVersion, kind })) !== undefined) return;
  const { group, version } = parseApiVersion(apiVersion);
  // A made-up plural is fine here: this CRD exists only inside one offline evaluation.
  const plural = `${kind.toLowerCase()}s`;
  await createIgnoringExisting(cluster, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
}

/** What a user wrote, not what the (simulated) server added: the CLI output stays stable. */
function withoutServerFields(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'] as const)
    delete copy.metadata[f];
  return copy;
}
