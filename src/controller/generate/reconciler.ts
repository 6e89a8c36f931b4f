// The generate reconciler: for one (policy, rule, trigger) it reads what is and converges on what the
// rule says should be — create what is missing, restore what drifted (synchronize), delete downstream
// whose trigger is gone or no longer applies. Level-triggered: every caller (admission, informers,
// generateExisting, resync) just names the key.
import type { Operation, RequestUser } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import type { ClusterClient } from '../../cluster/client.js';
import { NotFoundError } from '../../cluster/errors.js';
import type { EvalEnv } from '../../engine/env.js';
import type { GenerateRuleOutcome } from '../../engine/generate/evaluate.js';
import { evaluateGenerate, evaluateGenerateSync } from '../../engine/generate/evaluate.js';
import type { GeneratePlan } from '../../engine/generate/plan.js';
import type { PolicyRequest } from '../../engine/request.js';
import { applyGeneratePlan, ConvergenceMemo } from '../../pipeline/generate/apply-plan.js';
import type { DownstreamIndex } from './downstream-index.js';
import { projectDownstream } from './downstream-index.js';
import type { GenerateKey, TriggerRef } from './key.js';
import { backgroundOperation, generatesOnDelete, skipsAsGeneratedTrigger, usesAdmissionOnlyData } from './rule-traits.js';

/** What an admission request told us that the live trigger cannot: kept until the key is reconciled. */
export interface AdmissionInfo {
  operation: Operation;
  user?: RequestUser;
  /** The object before the change (UPDATE), or the deleted object (DELETE). */
  oldObject?: KubeObject;
}

/**
 * On downstream whose trigger was deleted by a request the rule does not match (Kyverno leaves such
 * downstream in place): later passes see the trigger gone but must not delete it either.
 */
export const KEPT_ANNOTATION = 'generate.sprout.io/kept-after-trigger-deletion';

export interface ReconcileIntent {
  /** Create missing downstream even for rules without synchronize (a trigger event or generateExisting). */
  force: boolean;
  admission?: AdmissionInfo;
  /** Admission records (namespace/name) to retire once this key converged. */
  records?: string[];
}

export type ReconcileAction = 'generated' | 'deleted' | 'unchanged' | 'skipped';

export interface ReconcileResult {
  action: ReconcileAction;
  created: number;
  updated: number;
  deleted: number;
  message: string;
}

export class ReconcileError extends Error {
  constructor(
    message: string,
    /** The object the failure is about, for Events. */
    readonly trigger?: KubeObject,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}

export interface ReconcilerDeps {
  cluster: ClusterClient;
  env: EvalEnv;
  downstream: DownstreamIndex;
  policy(key: string): KyvernoPolicy | undefined;
  namespaceLabels(namespace: string): Promise<Record<string, string> | undefined>;
  /**
   * The trigger as an informer holds it, if one does. Used only when it is the trigger the key names
   * (same uid) and is not being deleted; otherwise the server is asked. A cached trigger may be a
   * version behind, but every change to it queues the key again, so the next pass sees the change.
   */
  cachedTrigger?(ref: TriggerRef): KubeObject | undefined;
}

const none = (action: ReconcileAction, message: string): ReconcileResult => ({
  action,
  created: 0,
  updated: 0,
  deleted: 0,
  message,
});

export class GenerateReconciler {
  private readonly memo = new ConvergenceMemo();

  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(key: GenerateKey, intent: ReconcileIntent): Promise<ReconcileResult> {
    const policy = this.deps.policy(key.policy);
    const rule = policy?.spec.rules.find((r) => r.name === key.rule && r.generate !== undefined);
    // A policy or rule that is gone is the policy reconciler's to clean up.
    if (!policy || !rule) return none('skipped', 'policy or rule no longer exists');
    const sync = rule.generate?.synchronize === true;
    // Awaiting only when the server must be asked keeps the common path free of promise hops.
    const trigger = this.cachedTrigger(key) ?? (await this.liveTrigger(key));
    if (trigger === undefined) {
      if (intent.admission?.operation === 'DELETE' && generatesOnDelete(rule) && intent.admission.oldObject) {
        const request: PolicyRequest = {
          operation: 'DELETE',
          oldObject: intent.admission.oldObject,
          user: intent.admission.user,
        };
        const [onDelete] = await this.evaluate(policy, rule, request);
        if (onDelete?.status !== 'pass' || !onDelete.plan)
          return none('skipped', onDelete?.message ?? 'rule does not apply');
        return this.apply(rule, onDelete.plan);
      }
      // A rule that generates on deletion owes its downstream to the trigger being gone.
      if (generatesOnDelete(rule)) return none('skipped', 'downstream of a trigger deleted on purpose');
      if (sync && !(await this.deletionApplies(policy, rule, intent.admission))) {
        await this.markKept(key);
        return none('skipped', 'the deletion request does not match the rule (e.g. excluded by who made it): downstream kept');
      }
      return sync
        ? this.deleteDownstream(key, 'trigger deleted', (o) => o.metadata.annotations?.[KEPT_ANNOTATION] === undefined)
        : none('skipped', 'trigger deleted; rule does not synchronize');
    }
    if (skipsAsGeneratedTrigger(rule, trigger))
      return none('skipped', 'the trigger is generated downstream and the rule skips background requests');
    const ns = trigger.kind === 'Namespace' ? undefined : trigger.metadata.namespace;
    const request: PolicyRequest = {
      operation: intent.admission?.operation ?? backgroundOperation(rule),
      object: trigger,
      oldObject: intent.admission?.oldObject,
      user: intent.admission?.user,
      namespaceLabels: ns ? await this.deps.namespaceLabels(ns) : undefined,
    };
    const evaluated = this.evaluate(policy, rule, request);
    const [outcome] = Array.isArray(evaluated) ? evaluated : await evaluated;
    // Without the requester, a rule that reads admission-only data cannot be evaluated at all (Kyverno
    // requires `background: false` for such rules): leave its downstream as the admission made it.
    const blind = intent.admission?.user === undefined && usesAdmissionOnlyData(rule);
    if (outcome?.status === 'pass') {
      if (!sync && !intent.force) return none('skipped', 'rule does not synchronize; nothing to repair');
      if (!outcome.plan) return none('skipped', outcome.message);
      if (blind && outcome.plan.errors.length > 0)
        return none('skipped', `cannot evaluate without the admission request: ${outcome.plan.errors.join('; ')}`);
      return this.apply(rule, outcome.plan, key);
    }
    if (outcome?.status === 'error' && blind)
      return none('skipped', `cannot evaluate without the admission request: ${outcome.message}`);
    if (outcome?.status === 'error')
      throw new ReconcileError(`rule ${rule.name}: ${outcome.message}`, trigger);
    if (!sync) return none('skipped', outcome ? outcome.message : 'rule does not apply');
    if (outcome?.status === 'fail' && outcome.deleteDownstream)
      return this.deleteDownstream(key, outcome.message);
    // Without an admission request, a rule that reads admission-only data cannot be judged from the
    // live trigger: never delete on evidence we cannot re-evaluate.
    if (intent.admission === undefined && usesAdmissionOnlyData(rule))
      return none('skipped', 'cannot re-evaluate admission-only data');
    return this.deleteDownstream(key, outcome ? outcome.message : 'the trigger no longer matches the rule');
  }

  /** One rule against one request; without a promise when the rule needs no cluster lookups. */
  private evaluate(policy: KyvernoPolicy, rule: Rule, request: PolicyRequest): GenerateRuleOutcome[] | Promise<GenerateRuleOutcome[]> {
    let options = onlyRule.get(rule);
    if (options === undefined) onlyRule.set(rule, (options = { ruleNames: new Set([rule.name]) }));
    return evaluateGenerateSync(policy, request, this.deps.env, options) ?? evaluateGenerate(policy, request, this.deps.env, options);
  }

  /**
   * Kyverno cleans up after a deleted trigger only when the DELETE request itself matches the rule; for
   * rules that look at the requester (roles, clusterRoles, subjects, userInfo) that depends on who
   * deleted it. Without the request (a deletion seen only by watch) the deletion applies.
   */
  private async deletionApplies(policy: KyvernoPolicy, rule: Rule, admission: AdmissionInfo | undefined): Promise<boolean> {
    if (admission?.operation !== 'DELETE' || !admission.user || !admission.oldObject || !usesAdmissionOnlyData(rule)) return true;
    const request: PolicyRequest = { operation: 'DELETE', oldObject: admission.oldObject, user: admission.user };
    const outcomes = await this.evaluate(policy, rule, request);
    return outcomes.length > 0;
  }

  /** Records on the downstream itself that its trigger's deletion did not apply, so no later pass deletes it. */
  private async markKept(key: GenerateKey): Promise<void> {
    for (const obj of this.deps.downstream.forTrigger(key.policy, key.rule, key.trigger.uid, key.trigger.name)) {
      if (obj.metadata.annotations?.[KEPT_ANNOTATION] !== undefined) continue;
      const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
      try {
        const kept = await this.deps.cluster.patch(ref, { metadata: { annotations: { [KEPT_ANNOTATION]: 'true' } } }, 'merge');
        this.deps.downstream.upsert(projectDownstream(kept));
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
  }

  private async apply(rule: Rule, plan: GeneratePlan, key?: GenerateKey): Promise<ReconcileResult> {
    const index = this.deps.downstream;
    const applied = await applyGeneratePlan(plan, this.deps.cluster, this.memo, (ref) => (index.has(ref) ? 'unknown' : 'absent'));
    let created = 0;
    let updated = 0;
    for (const o of applied.objects) {
      if (o.action === 'created') created++;
      else if (o.action === 'updated') updated++;
    }
    const result: ReconcileResult = { action: 'unchanged', created, updated, deleted: 0, message: 'up to date' };
    if (created + updated > 0) result.action = 'generated';
    // With synchronize, downstream the rule no longer produces (a renamed target, a dropped foreach
    // element) goes; only when the plan was complete, so a partial failure never deletes.
    if (key && rule.generate?.synchronize === true && applied.errors.length === 0) {
      const known = index.forTrigger(key.policy, key.rule, plan.trigger.metadata.uid ?? '');
      const wanted = known.length > 0 ? new Set(applied.objects.map((o) => refId(o.object))) : undefined;
      for (const stale of known) {
        if (!wanted?.has(refId(stale))) result.deleted += await this.deleteObject(stale);
      }
    }
    if (applied.errors.length > 0)
      throw new ReconcileError(`rule ${rule.name}: ${applied.errors.join('; ')}`, plan.trigger);
    result.message = `${result.created} created, ${result.updated} updated, ${result.deleted} deleted`;
    return result;
  }

  private async deleteDownstream(
    key: GenerateKey,
    why: string,
    eligible: (obj: KubeObject) => boolean = () => true,
  ): Promise<ReconcileResult> {
    let deleted = 0;
    for (const obj of this.deps.downstream.forTrigger(
      key.policy,
      key.rule,
      key.trigger.uid,
      key.trigger.name,
    )) {
      if (eligible(obj)) deleted += await this.deleteObject(obj);
    }
    return { action: deleted > 0 ? 'deleted' : 'unchanged', created: 0, updated: 0, deleted, message: why };
  }

  private async deleteObject(obj: KubeObject): Promise<number> {
    try {
      await this.deps.cluster.delete({
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name ?? '',
      });
      this.deps.downstream.remove(obj);
      return 1;
    } catch (e) {
      if (e instanceof NotFoundError) {
        this.deps.downstream.remove(obj);
        return 0;
      }
      throw e;
    }
  }

  /** The trigger from the informer, when the informer holds exactly the one the key names, alive. */
  private cachedTrigger(key: GenerateKey): KubeObject | undefined {
    const t = key.trigger;
    const cached = this.deps.cachedTrigger?.(t);
    if (cached === undefined || t.uid === '' || cached.metadata.uid !== t.uid || cached.metadata.deletionTimestamp) return undefined;
    return cached;
  }

  /** The trigger as it is now; undefined when it is gone, being deleted, or replaced (other uid). */
  private async liveTrigger(key: GenerateKey): Promise<KubeObject | undefined> {
    const t = key.trigger;
    try {
      const obj = await this.deps.cluster.get({
        apiVersion: t.apiVersion,
        kind: t.kind,
        namespace: t.namespace || undefined,
        name: t.name,
      });
      if (t.uid && obj.metadata.uid !== t.uid) return undefined;
      if (obj.metadata.deletionTimestamp) return undefined;
      return obj;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }
}

/** Evaluation options naming one rule, built once per rule object (rules do not change once loaded). */
const onlyRule = new WeakMap<Rule, { ruleNames: ReadonlySet<string> }>();

function refId(o: KubeObject): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name ?? ''}`;
}
