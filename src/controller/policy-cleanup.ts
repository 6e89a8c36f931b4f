// What happens to downstream when a rule or a whole policy goes away, as Kyverno's conformance tests
// expect: synchronized `data` downstream is deleted unless orphanDownstreamOnPolicyDelete; clone and
// cloneList downstream is kept — unless the policy opts in, with the annotation below (Kyverno #4197)
// or by setting orphanDownstreamOnPolicyDelete to false explicitly.
import type { KyvernoPolicy, Rule } from '../api/policy.js';
import type { ClusterClient } from '../cluster/client.js';
import { NotFoundError } from '../cluster/errors.js';
import type { Logger } from '../platform/logger.js';
import { LABEL } from '../engine/generate/labels.js';
import type { DownstreamIndex } from './generate/downstream-index.js';
import { isCloneRule } from './generate/rule-traits.js';

/** Policy annotation: "true" deletes clone/cloneList downstream too when the rule or policy is deleted. */
export const DELETE_CLONES_ANNOTATION = 'sprout.io/delete-cloned-downstream';

export class PolicyCleanup {
  constructor(
    private readonly cluster: ClusterClient,
    private readonly downstream: DownstreamIndex,
    private readonly log: Logger,
  ) {}

  /**
   * A rule whose target changed (apiVersion, kind, name, namespace, clone, cloneList) lets go of its old
   * downstream, as Kyverno does: the policy and rule labels are removed, so the object stays but is no
   * longer managed (and is not pruned as stale by the next reconcile).
   */
  async releaseChangedTargets(before: KyvernoPolicy, after: KyvernoPolicy): Promise<number> {
    const key = policyKeyOf(after);
    let released = 0;
    for (const rule of after.spec.rules) {
      const old = before.spec.rules.find((r) => r.name === rule.name);
      if (!old?.generate || !rule.generate || targetOf(old) === targetOf(rule)) continue;
      for (const obj of this.downstream.forRule(key, rule.name)) {
        // A merge patch that removes just these labels: the index holds only identity and labels,
        // so writing back the cached object would drop the object's content.
        const drop = { [LABEL.policyName]: null, [LABEL.policyNamespace]: null, [LABEL.ruleName]: null };
        const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
        try {
          await this.cluster.patch(ref, { metadata: { labels: drop } }, 'merge');
          this.downstream.remove(obj);
          released++;
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          this.downstream.remove(obj);
        }
      }
    }
    return released;
  }

  /** Cleans up after rules of `before` that `after` no longer has (all of them when after is undefined). */
  async removedRules(before: KyvernoPolicy, after: KyvernoPolicy | undefined): Promise<number> {
    const kept = new Set((after?.spec.rules ?? []).filter((r) => r.generate).map((r) => r.name));
    const key =
      before.kind === 'Policy'
        ? `${before.metadata.namespace ?? 'default'}/${before.metadata.name}`
        : before.metadata.name;
    const deleteClones = (after ?? before).metadata.annotations?.[DELETE_CLONES_ANNOTATION] === 'true';
    let deleted = 0;
    for (const rule of before.spec.rules) {
      if (!rule.generate || kept.has(rule.name) || !this.deletesDownstream(rule, deleteClones)) continue;
      for (const obj of this.downstream.forRule(key, rule.name)) {
        try {
          await this.cluster.delete({
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            namespace: obj.metadata.namespace,
            name: obj.metadata.name ?? '',
          });
          this.downstream.remove(obj);
          deleted++;
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          this.downstream.remove(obj);
        }
      }
    }
    if (deleted > 0) this.log.info({ policy: key, deleted }, 'deleted downstream of removed rules');
    return deleted;
  }

  private deletesDownstream(rule: Rule, deleteClones: boolean): boolean {
    const g = rule.generate;
    if (!g?.synchronize || g.orphanDownstreamOnPolicyDelete) return false;
    // Clone downstream is kept unless the policy says otherwise: the annotation, or an explicit
    // `orphanDownstreamOnPolicyDelete: false` (Kyverno's tests expect both behaviours, #16168).
    return !isCloneRule(rule) || deleteClones || g.orphanDownstreamOnPolicyDelete === false;
  }
}

function policyKeyOf(p: KyvernoPolicy): string {
  return p.kind === 'Policy' ? `${p.metadata.namespace ?? 'default'}/${p.metadata.name}` : p.metadata.name;
}

/** What a rule generates into: the fields whose change makes Kyverno orphan the old downstream. */
function targetOf(rule: Rule): string {
  const g = rule.generate ?? {};
  return JSON.stringify([g.apiVersion, g.kind, g.name, g.namespace, g.clone ?? null, g.cloneList ?? null]);
}
