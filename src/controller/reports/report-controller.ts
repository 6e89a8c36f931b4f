// Keeps PolicyReports current, one report per resource (report-format.ts). Informers on every kind a
// validate policy matches feed one workqueue with four kinds of keys: "scan" (evaluate one resource
// against the background validate policies), "report" (render one resource's report and write it if
// it changed, gathered for batchMs first), "verify" (settle a report found at start that no scan
// will visit, once the policies have synced) and "admitted" (drop the results of an admitted object
// the API server did not store). Policy changes rescan everything; a periodic resync rescans as well. Admission results
// of allowed requests come in through recordAdmission (the webhook's AdmissionResultSink), on the
// leader only: elsewhere nothing would ever write them, and the leader's scans cover every object.
import type { AdmissionRequest } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import { gvkOf, parseApiVersion } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import type { ClusterClient } from '../../cluster/client.js';
import type { EvalEnv } from '../../engine/env.js';
import { kindsOf, parseKindSelector } from '../../engine/match/index.js';
import { evaluateValidate } from '../../engine/validate/evaluate.js';
import type { PolicySource, PolicyValidation } from '../../pipeline/admission.js';
import { clusterLookup } from '../../pipeline/cluster-lookup.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { Informer } from '../runtime/informer.js';
import { InformerFactory } from '../runtime/informer-factory.js';
import { runWorkers } from '../runtime/workers.js';
import { Workqueue } from '../runtime/workqueue.js';
import { AdmittedObjectTimers, isStored } from './admitted-objects.js';
import { readExistingReports } from './existing-reports.js';
import type { ReportLocation, ReportResult } from './report-format.js';
import { reportLocation, reportPolicyName, reportResult, subjectOf } from './report-format.js';
import { deleteReport, writeReport } from './report-writer.js';
import type { ResourceKeyParts } from './result-store.js';
import { parseResourceKey, resourceKey, ResultStore } from './result-store.js';

export interface ReportPolicies extends PolicySource {
  all(): KyvernoPolicy[];
}

export interface ReportControllerOptions {
  cluster: ClusterClient;
  clock: Clock;
  logger: Logger;
  policies: ReportPolicies;
  /** Subscribes to policy changes (the generate controller's onPolicyChange). */
  onPolicyChange: (listener: () => void) => void;
  workers?: number;
  /** Full rescan period (default 1 h). */
  resyncPeriodMs?: number;
  /** Results are gathered this long before a report is written (default 300 ms). */
  batchMs?: number;
  env?: EvalEnv;
  /**
   * True once the policy source holds every existing policy (default: always). Until then a report
   * found at start is kept: no informer for its kind may only mean its policy has not arrived yet.
   */
  policiesSynced?: () => boolean;
  /** How long after an admission its object must be in the cluster (default 60 s; admitted-objects.ts). */
  admissionGraceMs?: number;
}

const SEP = '\u0000';

const isValidatePolicy = (p: KyvernoPolicy): boolean => p.spec.rules.some((r) => r.validate !== undefined);
/** Kyverno scans existing resources only for policies with background: true (the default). */
const scansInBackground = (p: KyvernoPolicy): boolean => p.spec.background !== false && isValidatePolicy(p);

export class ReportController {
  readonly results = new ResultStore();
  private readonly queue: Workqueue;
  private readonly factory: InformerFactory;
  private readonly kinds = new Map<string, Informer>();
  private readonly env: EvalEnv;
  private readonly log: Logger;
  private namespaces: Informer | undefined;
  private running = false;
  private watching: Promise<void> = Promise.resolve();
  /** Report names of the policies seen at the last change, to drop results of deleted ones. */
  private previous = new Set<string>();
  /** Where each resource's report was last written (or found at start), by resource key. */
  private written = new Map<string, ReportLocation>();
  /** Resource keys of reports found at start that no scan has confirmed yet. */
  private unverified = new Set<string>();
  /** Watches for the complete policy set, started once the policy source has synced. */
  private syncedWatches: Promise<void> | undefined;
  private readonly admitted: AdmittedObjectTimers;

  constructor(private readonly o: ReportControllerOptions) {
    this.log = o.logger.child({ component: 'reports' });
    this.queue = new Workqueue({ name: 'reports', clock: o.clock });
    this.factory = new InformerFactory({ client: o.cluster, clock: o.clock, logger: this.log });
    this.env = o.env ?? { now: () => o.clock.now(), random: () => 0.5, lookup: clusterLookup(o.cluster) };
    this.admitted = new AdmittedObjectTimers(o.clock, o.admissionGraceMs ?? 60_000, (key, uid) => this.queue.add(`admitted${SEP}${key}${SEP}${uid}`));
    o.onPolicyChange(() => this.policiesChanged());
  }

  async run(signal: AbortSignal): Promise<void> {
    this.running = true;
    // Stop taking admission results as soon as leadership ends, not once the workers have drained.
    const stopRecording = (): void => {
      this.running = false;
      this.admitted.cancelAll();
    };
    signal.addEventListener('abort', stopRecording, { once: true });
    this.namespaces = this.factory.informerFor({ apiVersion: 'v1', kind: 'Namespace' });
    const factoryRun = this.factory.run(signal);
    this.written = new Map();
    this.unverified = new Set();
    this.syncedWatches = undefined;
    // Before any informer exists, so that every scan already knows which reports are out there.
    this.watching = this.adoptExistingReports();
    this.policiesChanged();
    const resync = this.resyncLoop(signal);
    await runWorkers(this.queue, {
      workers: this.o.workers ?? 2,
      signal,
      handler: (key) => this.process(key),
      onError: (key, err) => this.log.warn({ key, err: err instanceof Error ? err.message : String(err) }, 'report work failed; will retry'),
    });
    await this.queue.shutdown();
    await Promise.all([factoryRun, resync, this.watching]);
    signal.removeEventListener('abort', stopRecording);
    stopRecording();
  }

  hasSynced(): boolean {
    return this.running && this.factory.all().every((i) => i.hasSynced());
  }

  /** Keys queued or in flight: 0 when every report is written. */
  pending(): number {
    return this.queue.length + this.queue.inFlight + this.queue.delayedCount;
  }

  namespaceLabels(namespace: string): Record<string, string> | undefined {
    return this.namespaces?.get(namespace)?.metadata.labels;
  }

  /** Admission results of an allowed request (the webhook's report sink); ignored unless running. */
  recordAdmission(req: AdmissionRequest, results: PolicyValidation[]): void {
    const obj = req.object ?? undefined;
    if (!this.running || !obj || req.operation === 'DELETE') return;
    const subject = subjectOf(obj);
    if (!subject) return;
    let changed = false;
    for (const r of results) {
      const rendered = r.rules
        .filter((x) => x.status !== 'skip')
        .map((x) => reportResult(r.policy, x.rule, x.status, x.message, this.o.clock.now()));
      // Background policies are rescanned once the object is stored; admission fills the gap.
      changed = this.results.set(subject, reportPolicyName(r.policy), 'admission', rendered) || changed;
    }
    const key = resourceKey(subject);
    if (changed) this.reportLater(key);
    if (this.results.reportFor(key)?.subject.uid === subject.uid) this.admitted.schedule(key, subject.uid);
  }

  private policiesChanged(): void {
    if (!this.running) return;
    const live = new Set(this.o.policies.all().map(reportPolicyName));
    for (const p of this.previous) if (!live.has(p)) for (const key of this.results.removePolicy(p)) this.reportLater(key);
    this.previous = live;
    this.watching = this.watching
      .then(() => this.ensureWatches())
      .then(() => {
        this.rescanAll();
        for (const key of this.unverified) this.queue.add(`verify${SEP}${key}`);
      })
      .catch((e: unknown) => this.log.error({ err: e }, 'could not start report informers'));
  }

  /** Deletes the per-namespace reports of older Sprout versions; remembers the per-resource ones. */
  private async adoptExistingReports(): Promise<void> {
    try {
      const found = await readExistingReports(this.o.cluster);
      if (found.legacyDeleted > 0) this.log.info({ deleted: found.legacyDeleted }, 'removed per-namespace policy reports');
      for (const r of found.reports) {
        const key = resourceKey(r.resource);
        this.written.set(key, r.at);
        this.unverified.add(key);
      }
    } catch (e) {
      // Without the report CRDs there is nothing to adopt; writing will report its own errors.
      this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not read existing policy reports');
    }
  }

  private async ensureWatches(): Promise<void> {
    const resources = await this.o.cluster.resources();
    for (const p of this.o.policies.all().filter(isValidatePolicy)) {
      for (const rule of p.spec.rules) {
        if (!rule.validate) continue;
        for (const sel of kindsOf(rule.match)) {
          const s = parseKindSelector(sel);
          if (!s.valid || s.subresource || s.kind.includes('*') || s.kind.includes('?')) continue;
          const fits = resources.filter(
            (r) =>
              r.kind === s.kind &&
              (s.group === '*' || s.group === '' || r.group === s.group) &&
              (s.version === '*' || s.version === '' || r.version === s.version),
          );
          for (const r of fits) this.watchKind(r.group ? `${r.group}/${r.version}` : r.version, r.kind);
        }
      }
    }
  }

  private watchKind(apiVersion: string, kind: string): void {
    // One version per kind is enough to see every object.
    if ([...this.kinds.keys()].some((k) => k.split('|')[1] === kind && sameGroup(k.split('|')[0] ?? '', apiVersion)))
      return;
    const id = `${apiVersion}|${kind}`;
    const inf = kind === 'Namespace' && apiVersion === 'v1' && this.namespaces ? this.namespaces : this.factory.informerFor({ apiVersion, kind });
    this.kinds.set(id, inf);
    const scan = (obj: KubeObject): void => this.queue.add(scanKey(id, obj));
    inf.addHandlers({ onAdd: scan, onUpdate: (_o, n) => scan(n), onDelete: scan });
  }

  private rescanAll(): void {
    for (const [id, inf] of this.kinds) for (const obj of inf.list()) this.queue.add(scanKey(id, obj));
  }

  private reportLater(key: string): void {
    this.queue.addAfter(`report${SEP}${key}`, this.o.batchMs ?? 300);
  }

  private async process(key: string): Promise<void> {
    const [type = '', a = '', b = ''] = key.split(SEP);
    if (type === 'report') return this.writeReportOf(a);
    if (type === 'verify') return this.verify(a);
    if (type === 'admitted') return this.checkAdmitted(a, b);
    const inf = this.kinds.get(a);
    const [apiVersion = '', kind = ''] = a.split('|');
    const [nsOrName = '', maybeName] = b.split('/');
    const name = maybeName ?? nsOrName;
    const namespace = maybeName === undefined ? undefined : nsOrName;
    const obj = inf?.get(b);
    if (!obj) {
      const ref = { apiVersion, kind, name, ...(namespace ? { namespace } : {}) };
      if (this.results.removeResource(ref) || this.written.has(resourceKey(ref))) this.reportLater(resourceKey(ref));
      return;
    }
    await this.scan(obj);
  }

  /** Writes one resource's report; a report left under an earlier uid of the same name goes. */
  private async writeReportOf(key: string): Promise<void> {
    const report = this.results.reportFor(key);
    const next = report ? reportLocation(report.subject) : undefined;
    const previous = this.written.get(key);
    if (previous && (next === undefined || previous.kind !== next.kind || previous.name !== next.name))
      await deleteReport(this.o.cluster, previous);
    if (!report || !next) {
      this.written.delete(key);
      return;
    }
    await writeReport(this.o.cluster, report.subject, report.results);
    this.written.set(key, next);
  }

  /**
   * A report found at start whose resource no scan has confirmed. If the resource exists where an
   * informer sees it, its scan settles the report; otherwise no policy applies to it any more (or
   * it is gone) and the report is deleted.
   */
  private async verify(key: string): Promise<void> {
    if (!this.unverified.has(key)) return;
    if (!(this.o.policiesSynced ?? (() => true))()) {
      this.queue.addAfter(`verify${SEP}${key}`, 1000);
      return;
    }
    // The policy source may have synced before its change notifications reached this controller.
    await this.watchesForSyncedPolicies();
    const ref = parseResourceKey(key);
    const inf = this.informerOf(ref);
    if (inf && !inf.hasSynced()) {
      this.queue.addAfter(`verify${SEP}${key}`, 1000);
      return;
    }
    if (inf?.get(ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name)) return;
    this.unverified.delete(key);
    await this.writeReportOf(key);
  }

  private watchesForSyncedPolicies(): Promise<void> {
    this.syncedWatches ??= this.ensureWatches().catch((e: unknown) => {
      this.syncedWatches = undefined;
      throw e;
    });
    return this.syncedWatches;
  }

  /** Drops an admitted object's results, and its report, if the API server never stored it. */
  private async checkAdmitted(key: string, uid: string): Promise<void> {
    const subject = this.results.reportFor(key)?.subject;
    // Already removed, or replaced by a scan of a newer object of the same name.
    if (subject?.uid !== uid) return;
    const stored = await isStored(this.o.cluster, this.informerOf(parseResourceKey(key)), subject);
    if (stored === 'unknown') return this.admitted.schedule(key, uid);
    if (stored) return;
    this.results.remove(key);
    await this.writeReportOf(key);
  }

  private informerOf(ref: ResourceKeyParts): Informer | undefined {
    for (const [id, inf] of this.kinds) {
      const [apiVersion = '', kind = ''] = id.split('|');
      if (kind === ref.kind && parseApiVersion(apiVersion).group === ref.group) return inf;
    }
    return undefined;
  }

  /** Evaluates one resource against the background validate policies, as Kyverno's scan does. */
  private async scan(obj: KubeObject): Promise<void> {
    const subject = subjectOf(obj);
    if (!subject) return;
    const key = resourceKey(subject);
    const ns = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
    const labels = ns ? this.namespaceLabels(ns) : undefined;
    // Kyverno's scanner evaluates an existing resource as if it were being created: `request.operation`
    // is CREATE, and rules that match `operations: [CREATE]` apply.
    const req = { operation: 'CREATE' as const, object: obj, ...(labels ? { namespaceLabels: labels } : {}) };
    const applied = new Set<string>();
    let changed = false;
    for (const policy of this.o.policies.candidates(gvkOf(obj)).filter(scansInBackground)) {
      const outcomes = await evaluateValidate(policy, req, this.env);
      const results: ReportResult[] = outcomes
        .filter((x) => x.status !== 'skip')
        .map((x) => reportResult(policy, x.rule, x.status, x.message, this.o.clock.now()));
      const name = reportPolicyName(policy);
      if (results.length > 0) applied.add(name);
      changed = this.results.set(subject, name, 'background', results) || changed;
    }
    changed = this.results.retainBackground(subject, applied) || changed;
    // A report found at start is checked once against what this scan found, changed or not.
    if (this.unverified.delete(key) || changed) this.reportLater(key);
  }

  private async resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.o.resyncPeriodMs ?? 3_600_000;
    while (!signal.aborted) {
      await this.o.clock.sleep(period, signal);
      if (!signal.aborted) this.rescanAll();
    }
  }
}

function scanKey(informerId: string, obj: KubeObject): string {
  const ns = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
  return `scan${SEP}${informerId}${SEP}${ns ? `${ns}/` : ''}${obj.metadata.name ?? ''}`;
}

function sameGroup(a: string, b: string): boolean {
  return parseApiVersion(a).group === parseApiVersion(b).group;
}
