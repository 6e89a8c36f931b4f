// Writes a policy's status the way Kyverno does, so tools (and Kyverno's conformance tests) that wait
// for `status.conditions[type=Ready]` work: True/Succeeded once Sprout acts on the policy, False/Failed
// with the validation problems when it does not, or with the permissions Sprout lacks to manage what
// the policy generates (the check the policy webhook makes, for policies that arrived while it was down).
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { ClusterClient } from '../cluster/client.js';
import { ConflictError, NotFoundError } from '../cluster/errors.js';
import { checkGeneratePermissions } from '../pipeline/generate-permissions.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { PolicyProblem } from '../policy/problems.js';
import type { PolicyChange } from './policy-store.js';

export class PolicyStatusWriter {
  constructor(
    private readonly cluster: ClusterClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Writes for one policy run in order: a slow permission check must not let an older status win. */
  private readonly pending = new Map<string, Promise<void>>();

  write(change: PolicyChange): Promise<void> {
    const previous = this.pending.get(change.key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.writeNow(change));
    this.pending.set(change.key, next);
    next
      .finally(() => {
        if (this.pending.get(change.key) === next) this.pending.delete(change.key);
      })
      .catch(() => undefined);
    return next;
  }

  private async writeNow(change: PolicyChange): Promise<void> {
    const obj = change.object;
    if (!obj) return;
    const problems = change.after ? await this.permissionProblems(change) : (change.problems ?? []);
    const ready = change.after !== undefined && problems.length === 0;
    const message = ready ? 'Ready' : problems.map((p) => `${p.path}: ${p.message}`).join('; ') || 'Not Ready';
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const live = await this.cluster.get({
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name ?? '',
        });
        const status = statusFor(live, change.after, ready, message, this.clock.now());
        if (JSON.stringify(live['status'] ?? null) === JSON.stringify(status)) return;
        await this.cluster.updateStatus({ ...live, status });
        return;
      } catch (e) {
        if (e instanceof NotFoundError) return;
        if (!(e instanceof ConflictError)) {
          this.log.warn({ err: e, policy: change.key }, 'could not write policy status');
          return;
        }
      }
    }
  }

  private async permissionProblems(change: PolicyChange): Promise<PolicyProblem[]> {
    if (!change.after) return [];
    try {
      return await checkGeneratePermissions(change.after, this.cluster);
    } catch (e) {
      // Not knowing is no reason to call the policy broken; the next change asks again.
      this.log.warn({ err: e, policy: change.key }, 'could not check generate permissions');
      return [];
    }
  }
}

function statusFor(
  live: KubeObject,
  policy: KyvernoPolicy | undefined,
  ready: boolean,
  message: string,
  now: number,
): Record<string, unknown> {
  const old = (live['status'] ?? {}) as {
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
  const prev = old.conditions?.find((c) => c.type === 'Ready');
  const status = ready ? 'True' : 'False';
  const lastTransitionTime =
    prev?.status === status && prev.lastTransitionTime
      ? prev.lastTransitionTime
      : new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const rules = policy?.spec.rules ?? [];
  return {
    ...old,
    conditions: [
      { type: 'Ready', status, reason: ready ? 'Succeeded' : 'Failed', message, lastTransitionTime },
    ],
    ready: undefined,
    rulecount: {
      validate: rules.filter((r) => r.validate).length,
      generate: rules.filter((r) => r.generate).length,
      mutate: rules.filter((r) => r.mutate).length,
      verifyimages: rules.filter((r) => r.verifyImages).length,
    },
  };
}
