// Writes admission records before the webhook answers and retires them once every key they name has
// converged: deleted when done (as Kyverno deletes completed UpdateRequests); when the trigger never
// appeared (the request was rejected after the webhook saw it), Sprout's own records are deleted and
// other URs are marked Failed, as Kyverno does, so whoever wrote them can see why.
import type { ClusterClient } from '../../cluster/client.js';
import { AlreadyExistsError, NotFoundError } from '../../cluster/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { AdmissionRecord, RecordedRule } from './admission-record.js';
import { UPDATE_REQUEST, recordObject } from './admission-record.js';
import type { AdmissionInfo } from './reconciler.js';

export const recordId = (r: { namespace: string; name: string }): string => `${r.namespace}/${r.name}`;

interface Tracked {
  record: { namespace: string; name: string; ownedBySprout: boolean };
  keys: Set<string>;
}

/** How long "the UpdateRequest kind is not served" is believed before discovery is asked again. */
const UNSERVED_RECHECK_MS = 60_000;

export class AdmissionRecords {
  private readonly tracked = new Map<string, Tracked>();
  private served: { value: boolean; at: number } | undefined;

  constructor(
    private readonly cluster: ClusterClient,
    /** Where Sprout writes its records (its own namespace). */
    readonly namespace: string,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * False while the cluster does not serve UpdateRequests (Kyverno's CRDs not installed): records are
   * then off, with one warning, rather than a failed write on every admission.
   */
  async available(): Promise<boolean> {
    const known = this.served;
    if (known && (known.value || this.now() - known.at < UNSERVED_RECHECK_MS)) return known.value;
    const value = (await this.cluster.resolveKind(UPDATE_REQUEST).catch(() => undefined)) !== undefined;
    if (!value && known?.value !== false) this.log.warn('UpdateRequests are not served: admission records are off (install the chart\'s CRDs)');
    this.served = { value, at: this.now() };
    return value;
  }

  /** Persists the request; resolves once the API server acknowledged the write. */
  async write(name: string, policy: string, rules: RecordedRule[], admission: AdmissionInfo): Promise<void> {
    try {
      await this.cluster.create(recordObject(this.namespace, name, policy, rules, admission));
    } catch (e) {
      // The same request handed over twice (a retried webhook call) writes the same record.
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  }

  /** Starts following a record's keys; false when it is already followed. */
  track(record: Pick<AdmissionRecord, 'namespace' | 'name' | 'ownedBySprout'>, keys: string[]): boolean {
    const id = recordId(record);
    if (this.tracked.has(id)) return false;
    this.tracked.set(id, { record: { namespace: record.namespace, name: record.name, ownedBySprout: record.ownedBySprout }, keys: new Set(keys) });
    return true;
  }

  isTracked(id: string): boolean {
    return this.tracked.has(id);
  }

  /** A key of the record converged; the record goes once all have. */
  async keyDone(id: string, key: string): Promise<void> {
    const t = this.tracked.get(id);
    if (!t) return;
    t.keys.delete(key);
    if (t.keys.size > 0) return;
    this.tracked.delete(id);
    await this.remove(t.record);
  }

  /** The trigger a record names does not exist: the request it came from never took effect. */
  async fail(id: string, message: string): Promise<void> {
    const t = this.tracked.get(id);
    if (!t) return;
    this.tracked.delete(id);
    this.log.info({ record: id, reason: message }, 'admission record failed');
    if (t.record.ownedBySprout) {
      await this.remove(t.record);
      return;
    }
    const ref = { ...UPDATE_REQUEST, namespace: t.record.namespace, name: t.record.name };
    try {
      const live = await this.cluster.get(ref);
      await this.cluster.updateStatus({ ...live, status: { state: 'Failed', message } });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }

  private async remove(r: { namespace: string; name: string }): Promise<void> {
    try {
      await this.cluster.delete({ ...UPDATE_REQUEST, namespace: r.namespace, name: r.name });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}
