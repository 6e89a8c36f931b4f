// Keeps PolicyReports current. Informers on every kind a validate policy matches feed one workqueue
// with two kinds of keys: "scan" (evaluate one resource against the background validate policies)
// and "report" (render one namespace's report and write it if it changed). Policy changes rescan
// everything; a periodic resync rescans as well. Admission results of allowed requests come in
// through recordAdmission (the webhook's AdmissionResultSink), on the leader only: elsewhere nothing
// would ever write them, and the leader's scans cover every object.
import type { AdmissionRequest } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import { gvkOf } from '../../api/kube.js';
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
import type { ReportResult, ResourceRef } from './report-format.js';
import { reportPolicyName, reportResult } from './report-format.js';
import { writeReport } from './report-writer.js';
import { ResultStore } from './result-store.js';

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

  constructor(private readonly o: ReportControllerOptions) {
    this.log = o.logger.child({ component: 'reports' });
    this.queue = new Workqueue({ name: 'reports', clock: o.clock });
    this.factory = new InformerFactory({ client: o.cluster, clock: o.clock, logger: this.log });
    this.env = o.env ?? { now: () => o.clock.now(), random: () => 0.5, lookup: clusterLookup(o.cluster) };
    o.onPolicyChange(() => this.policiesChanged());
  }

  async run(signal: AbortSignal): Promise<void> {
    this.running = true;
    // Stop taking admission results as soon as leadership ends, not once the workers have drained.
    const stopRecording = (): void => {
      this.running = false;
    };
    signal.addEventListener('abort', stopRecording, { once: true });
    this.namespaces = this.factory.informerFor({ apiVersion: 'v1', kind: 'Namespace' });
    const factoryRun = this.factory.run(signal);
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
    const ref = refOf(obj);
    let changed = false;
    for (const r of results) {
      const rendered = r.rules
        .filter((x) => x.status !== 'skip')
        .map((x) => reportResult(r.policy, x.rule, x.status, x.message, ref, this.o.clock.now()));
      // Background policies are rescanned once the object is stored; admission fills the gap.
      changed = this.results.set(ref, reportPolicyName(r.policy), 'admission', rendered) || changed;
    }
    if (changed) this.reportLater(ref.namespace ?? '');
  }

  private policiesChanged(): void {
    if (!this.running) return;
    const live = new Set(this.o.policies.all().map(reportPolicyName));
    for (const ns of this.results.namespaces()) this.reportLater(ns);
    for (const p of this.previous) if (!live.has(p)) for (const ns of this.results.removePolicy(p)) this.reportLater(ns);
    this.previous = live;
    this.watching = this.watching
      .then(() => this.ensureWatches())
      .then(() => this.rescanAll())
      .catch((e: unknown) => this.log.error({ err: e }, 'could not start report informers'));
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

  private reportLater(namespace: string): void {
    this.queue.addAfter(`report${SEP}${namespace}`, this.o.batchMs ?? 300);
  }

  private async process(key: string): Promise<void> {
    const [type = '', a = '', b = ''] = key.split(SEP);
    if (type === 'report') {
      await writeReport(this.o.cluster, a, this.results.resultsFor(a));
      return;
    }
    const inf = this.kinds.get(a);
    const [apiVersion = '', kind = ''] = a.split('|');
    const [nsOrName = '', maybeName] = b.split('/');
    const name = maybeName ?? nsOrName;
    const namespace = maybeName === undefined ? undefined : nsOrName;
    const obj = inf?.get(b);
    if (!obj) {
      if (this.results.removeResource({ apiVersion, kind, namespace, name })) this.reportLater(namespace ?? '');
      return;
    }
    await this.scan(obj);
  }

  /** Evaluates one resource against the background validate policies, as Kyverno's scan does. */
  private async scan(obj: KubeObject): Promise<void> {
    const ref = refOf(obj);
    const ns = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
    const labels = ns ? this.namespaceLabels(ns) : undefined;
    const req = { operation: '' as const, object: obj, ...(labels ? { namespaceLabels: labels } : {}) };
    const applied = new Set<string>();
    let changed = false;
    for (const policy of this.o.policies.candidates(gvkOf(obj)).filter(scansInBackground)) {
      const outcomes = await evaluateValidate(policy, req, this.env);
      const results: ReportResult[] = outcomes
        .filter((x) => x.status !== 'skip')
        .map((x) => reportResult(policy, x.rule, x.status, x.message, ref, this.o.clock.now()));
      const name = reportPolicyName(policy);
      if (results.length > 0) applied.add(name);
      changed = this.results.set(ref, name, 'background', results) || changed;
    }
    changed = this.results.retainBackground(ref, applied) || changed;
    if (changed) this.reportLater(ref.namespace ?? '');
  }

  private async resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.o.resyncPeriodMs ?? 3_600_000;
    while (!signal.aborted) {
      await this.o.clock.sleep(period, signal);
      if (!signal.aborted) this.rescanAll();
    }
  }
}

function refOf(obj: KubeObject): ResourceRef {
  const namespace = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name ?? '',
    ...(namespace ? { namespace } : {}),
    ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
  };
}

function scanKey(informerId: string, obj: KubeObject): string {
  const ns = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
  return `scan${SEP}${informerId}${SEP}${ns ? `${ns}/` : ''}${obj.metadata.name ?? ''}`;
}

function sameGroup(a: string, b: string): boolean {
  const group = (v: string): string => (v.includes('/') ? (v.split('/')[0] ?? '') : '');
  return group(a) === group(b);
}
