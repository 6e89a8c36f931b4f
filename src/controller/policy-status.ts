// Writes a policy's status the way Kyverno does, so tools (and Kyverno's conformance tests) that wait
// for `status.conditions[type=Ready]` work: True/Succeeded once Sprout acts on the policy, False/Failed
// with the validation problems when it does not.
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { ClusterClient } from '../cluster/client.js';
import { ConflictError, NotFoundError } from '../cluster/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { PolicyChange } from './policy-store.js';

export class PolicyStatusWriter {
  constructor(
    private readonly cluster: ClusterClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async write(change: PolicyChange): Promise<void> {
    const obj = change.object;
    if (!obj) return;
    const ready = change.after !== undefined;
    const message = ready
      ? 'Ready'
      : (change.problems ?? []).map((p) => `${p.path}: ${p.message}`).join('; ') || 'Not Ready';
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
