// Composes the generate machinery: informers on policies, triggers, downstream and clone sources
// feed one workqueue of (policy, rule, trigger) keys that the GenerateReconciler converges. Nothing
// is persisted per event: informers, relists and the periodic resync recover anything missed.
import { setMaxListeners } from 'node:events';
import type { AdmissionRequest, RequestUser } from '../api/admission.js';
import type { GroupVersionKind, KubeObject } from '../api/kube.js';
import { gvkOf, parseApiVersion } from '../api/kube.js';
import type { KyvernoPolicy, Rule } from '../api/policy.js';
import type { ClusterClient, ResourceInfo } from '../cluster/client.js';
import type { EvalEnv } from '../engine/env.js';
import { LABEL } from '../engine/generate/labels.js';
import { kindsOf, matchesRule, parseKindSelector } from '../engine/match/index.js';
import { clusterLookup } from '../pipeline/cluster-lookup.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Informer } from './runtime/informer.js';
import { InformerFactory } from './runtime/informer-factory.js';
import { runWorkers } from './runtime/workers.js';
import { Workqueue } from './runtime/workqueue.js';
import { workqueueMetrics } from './runtime/workqueue-metrics.js';
import { DOWNSTREAM_SELECTOR, DownstreamIndex, policyKeyOfDownstream, projectDownstream } from './generate/downstream-index.js';
import type { GenerateKey } from './generate/key.js';
import { decodeKey, encodeKey, triggerRefOf } from './generate/key.js';
import type { AdmissionInfo, ReconcileIntent } from './generate/reconciler.js';
import { GenerateReconciler, ReconcileError } from './generate/reconciler.js';
import type { CloneSourceWatch } from './generate/rule-traits.js';
import { cloneSourceWatches, downstreamKinds, usesAdmissionOnlyData } from './generate/rule-traits.js';
import { readRecord, recordName, UPDATE_REQUEST } from './generate/admission-record.js';
import type { AdmissionRecords } from './generate/admission-records.js';
import { recordId } from './generate/admission-records.js';
import { EventRecorder } from './events.js';
import type { PolicyChange } from './policy-store.js';
import { PolicyStore } from './policy-store.js';
import { POLICY_KINDS } from './admission-view.js';
import { PolicyCleanup } from './policy-cleanup.js';
import { GenerateMetrics } from './generate-metrics.js';
import { PolicyStatusWriter } from './policy-status.js';

export interface GenerateControllerOptions {
  cluster: ClusterClient;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  workers?: number;
  /** How often every key is reconciled again to repair anything missed (default 1 h). */
  resyncPeriodMs?: number;
  /** Pause before a deleted synchronized downstream is re-created (default 1.5 s). */
  recreateDelayMs?: number;
  /** Random numbers for the random() JMESPath function. */
  random?: () => number;
  /** Durable admission records (UpdateRequests); without it, admission data lives in memory only. */
  records?: AdmissionRecords;
  /** The policies as the webhook sees them, for replicas that are not leading (no informers of their own). */
  admissionPolicies?: PolicyStore;
}

/** A CREATE or DELETE seen at admission may not be stored yet; look again a few times before giving up. */
const ADMISSION_RETRIES = 5;
/** How long a policy change waits for new informers to sync before it is reported Ready anyway. */
const SYNC_WAIT_MS = 5000;

export class GenerateController {
  readonly policies = new PolicyStore();
  readonly downstream = new DownstreamIndex();
  private readonly queue: Workqueue;
  private readonly factory: InformerFactory;
  private readonly reconciler: GenerateReconciler;
  /** Why each queued key is queued; `key` is the decoded form of the queue's string, kept to skip decoding. */
  private readonly intents = new Map<string, ReconcileIntent & { attempts: number; key?: GenerateKey }>();
  private readonly triggerInformers = new Map<string, Informer>();
  private readonly watched = new Set<string>();
  private readonly events: EventRecorder;
  private readonly cleanup: PolicyCleanup;
  private readonly stats: GenerateMetrics;
  private readonly log: Logger;
  private readonly env: EvalEnv;
  private namespaces: Informer | undefined;
  private running = false;
  private startupComplete = false;
  private signal: AbortSignal | undefined;
  private policyWork: Promise<void> = Promise.resolve();
  private readonly changeListeners = new Set<(change: PolicyChange) => void>();

  constructor(private readonly o: GenerateControllerOptions) {
    this.log = o.logger.child({ component: 'generate' });
    this.queue = new Workqueue({
      name: 'generate',
      clock: o.clock,
      hooks: workqueueMetrics(o.metrics, 'generate'),
    });
    this.factory = new InformerFactory({ client: o.cluster, clock: o.clock, logger: this.log });
    this.env = {
      now: () => o.clock.now(),
      random: o.random ?? (() => 0.5),
      lookup: clusterLookup(o.cluster),
    };
    this.reconciler = new GenerateReconciler({
      cluster: o.cluster,
      env: this.env,
      downstream: this.downstream,
      policy: (key) => this.policies.get(key),
      namespaceLabels: (ns) => Promise.resolve(this.namespaces?.get(ns)?.metadata.labels ?? {}),
      cachedTrigger: (t) => this.triggerInformers.get(`${t.apiVersion}|${t.kind}`)?.get(t.namespace ? `${t.namespace}/${t.name}` : t.name),
    });
    this.events = new EventRecorder(o.cluster, o.clock, this.log);
    this.cleanup = new PolicyCleanup(o.cluster, this.downstream, this.log);
    this.stats = new GenerateMetrics(o.metrics);
    const status = new PolicyStatusWriter(o.cluster, o.clock, this.log);
    this.onPolicyChange((change) => void status.write(change));
  }

  /** Called for every policy change after the controller acted on it (status writers listen here). */
  onPolicyChange(listener: (change: PolicyChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async run(signal: AbortSignal): Promise<void> {
    // Every informer, worker and timer of this controller listens on the one signal.
    setMaxListeners(0, signal);
    this.signal = signal;
    this.running = true;
    const policyInformers = POLICY_KINDS.map((ref) => {
      const inf = this.factory.informerFor(ref);
      inf.addHandlers({
        onAdd: (obj) => this.policyChanged(this.policies.upsert(obj)),
        onUpdate: (_old, obj) => this.policyChanged(this.policies.upsert(obj)),
        onDelete: (obj) => this.policyChanged(this.policies.remove(obj)),
      });
      return inf;
    });
    const factoryRun = this.factory.run(signal);
    // Policies first: trigger informers started now replay every existing trigger, so triggers
    // created while Sprout was down are generated for. Informers started later for new policies
    // do not replay (a new policy acts on new triggers only, unless it asks for generateExisting).
    await Promise.all(policyInformers.map((i) => i.waitForSync(signal)));
    await this.policyWork;
    if (this.o.records && (await this.o.records.available())) {
      // Records are read after the policies they name are loaded; pending ones replay at start.
      const records = this.factory.informerFor({ ...UPDATE_REQUEST, namespace: this.o.records.namespace });
      records.addHandlers({ onAdd: (o) => this.recordSeen(o), onUpdate: (_o, n) => this.recordSeen(n) });
    }
    this.namespaces = this.factory.informerFor({ apiVersion: 'v1', kind: 'Namespace' });
    this.watchTriggerKind({ apiVersion: 'v1', kind: 'Namespace' }, this.namespaces);
    this.startupComplete = true;
    await this.factory.waitForSync(signal);
    const resync = this.resyncLoop(signal);
    await runWorkers(this.queue, {
      workers: this.o.workers ?? 4,
      signal,
      handler: (key) => this.process(key),
      onError: (key, err, attempts) => this.failed(key, err, attempts),
    });
    await this.queue.shutdown();
    await Promise.all([factoryRun, resync, this.policyWork]);
    this.running = false;
  }

  /** True once every informer has its initial list. */
  hasSynced(): boolean {
    return this.running && this.factory.all().every((i) => i.hasSynced());
  }

  /** Queue depth plus keys in flight: 0 when the controller has nothing left to do. */
  pending(): number {
    return this.queue.length + this.queue.inFlight + this.queue.delayedCount;
  }

  /**
   * The admission path: the webhook hands over every request for a kind some generate rule matches.
   * Only keys are queued; generate never blocks or fails admission.
   */
  async handleAdmission(req: AdmissionRequest, user: RequestUser): Promise<void> {
    if (req.dryRun) return;
    const subject = req.object ?? req.oldObject;
    if (!subject) return;
    const info: AdmissionInfo = { operation: req.operation, user, oldObject: req.oldObject ?? undefined };
    // Rules that read admission-only data get the request written down first, on every replica:
    // the leader (this one after a crash, or another) generates from the record.
    const records = await this.recordAdmission(req, subject, info);
    // A replica that is not the leader leaves generation to the one that is.
    if (!this.running) return;
    this.enqueueForTrigger(subject, { force: req.operation !== 'DELETE', admission: info }, undefined, records);
  }

  /** Writes one record per policy whose matching rules read admission-only data; key -> record id. */
  private async recordAdmission(req: AdmissionRequest, subject: KubeObject, info: AdmissionInfo): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const store = this.o.records;
    if (!store) return out;
    const gvk = gvkOf(subject);
    const trigger = triggerRefOf(subject);
    const policies = this.running ? this.policies : (this.o.admissionPolicies ?? this.policies);
    for (const policy of policies.candidates(gvk)) {
      const rules = policy.spec.rules.filter(
        (r) => r.generate && kindsOf(r.match).some((k) => kindFits(k, gvk)) && usesAdmissionOnlyData(r),
      );
      if (rules.length === 0) continue;
      if (!(await store.available())) return out;
      const key = keyOfPolicy(policy);
      const name = recordName(req.uid, key);
      try {
        await store.write(name, key, rules.map((r) => ({ rule: r.name, trigger })), info);
      } catch (e) {
        // Admission goes on: this replica, if leading, still generates from memory.
        this.log.error({ err: e, policy: key, request: req.uid }, 'could not persist the admission record');
        continue;
      }
      const keys = rules.map((r) => encodeKey({ policy: key, rule: r.name, trigger }));
      if (this.running) store.track({ namespace: store.namespace, name, ownedBySprout: true }, keys);
      for (const k of keys) out.set(k, recordId({ namespace: store.namespace, name }));
    }
    return out;
  }

  /** A record seen by watch (written by another replica, before a restart, or by Kyverno). */
  private recordSeen(obj: KubeObject): void {
    const store = this.o.records;
    const rec = readRecord(obj);
    if (!store || !rec || rec.state !== 'Pending') return;
    const keys = rec.rules.map((r) => ({ policy: rec.policy, rule: r.rule, trigger: r.trigger }));
    if (!store.track(rec, keys.map(encodeKey))) return;
    for (const key of keys) this.enqueue(key, { force: true, admission: rec.admission, records: [recordId(rec)] });
  }

  private enqueueForTrigger(
    obj: KubeObject,
    intent: ReconcileIntent,
    onlyRules?: (rule: Rule, policy: KyvernoPolicy) => boolean,
    records?: Map<string, string>,
  ): void {
    const gvk = gvkOf(obj);
    for (const policy of this.policies.candidates(gvk)) {
      for (const rule of policy.spec.rules) {
        if (!rule.generate || !kindsOf(rule.match).some((k) => kindFits(k, gvk))) continue;
        if (onlyRules && !onlyRules(rule, policy)) continue;
        const key = { policy: keyOfPolicy(policy), rule: rule.name, trigger: triggerRefOf(obj) };
        const record = records?.get(encodeKey(key));
        this.enqueue(key, record ? { ...intent, records: [record] } : intent);
      }
    }
  }

  private enqueue(key: GenerateKey, intent: ReconcileIntent, delayMs = 0): void {
    const k = encodeKey(key);
    const prev = this.intents.get(k);
    const merged = mergeIntents(prev, intent);
    this.intents.set(k, Object.assign(merged, { attempts: prev?.attempts ?? 0, key }));
    if (delayMs > 0) this.queue.addAfter(k, delayMs);
    else this.queue.add(k);
  }

  private async process(k: string): Promise<void> {
    const intent = this.intents.get(k) ?? { force: false, attempts: 0 };
    this.intents.delete(k);
    const key = intent.key ?? decodeKey(k);
    const started = this.o.clock.now();
    try {
      // Only admission's CREATE and DELETE need a look at the live trigger (most keys have neither).
      const op = intent.admission?.operation;
      if ((op === 'CREATE' || op === 'DELETE') && !(await this.admissionTookEffect(key, intent.admission))) {
        if (intent.attempts < ADMISSION_RETRIES) {
          // Admission runs before the change is stored: try again shortly, keeping what admission said.
          this.intents.set(k, { ...mergeIntents(this.intents.get(k), intent), attempts: intent.attempts + 1, key });
          this.queue.addAfter(k, 200 * (intent.attempts + 1));
          return;
        }
        // The created trigger never appeared (the API server rejected the request after the webhook
        // saw it): nothing of what the record asks for may be generated.
        if (intent.admission?.operation === 'CREATE' && (intent.records?.length ?? 0) > 0) {
          const why = `trigger ${key.trigger.kind} ${key.trigger.namespace ? `${key.trigger.namespace}/` : ''}${key.trigger.name} (uid ${key.trigger.uid}) not found: the request may have been rejected`;
          for (const id of intent.records ?? []) await this.o.records?.fail(id, why);
          return;
        }
      }
      const result = await this.reconciler.reconcile(key, intent);
      if (intent.records !== undefined) for (const id of intent.records) await this.o.records?.keyDone(id, k);
      this.stats.reconciled(key, result, (this.o.clock.now() - started) / 1000, k);
      if (result.action !== 'skipped' && result.action !== 'unchanged' && this.log.isLevelEnabled('debug'))
        this.log.debug({ key: k, ...result }, 'reconciled');
    } catch (e) {
      // Keep the intent for the retry: a failed write is retried, never dropped.
      const again = this.intents.get(k);
      this.intents.set(k, { ...(again ? mergeIntents(intent, again) : intent), attempts: intent.attempts, key });
      this.stats.failed(key, k);
      throw e;
    }
  }

  private failed(k: string, err: unknown, attempts: number): void {
    const key = decodeKey(k);
    const message = err instanceof Error ? err.message : String(err);
    this.log.warn({ key: k, attempts, err: message }, 'generate failed; will retry');
    if (attempts !== 1 && attempts % 10 !== 0) return;
    const policy = this.policies.get(key.policy);
    if (policy) {
      void this.events.record({
        regarding: policy as unknown as KubeObject,
        type: 'Warning',
        reason: 'PolicyError',
        message: `policy ${key.policy}/${key.rule} error: ${message}`,
      });
    }
    if (err instanceof ReconcileError && err.trigger) {
      void this.events.record({
        regarding: err.trigger,
        type: 'Warning',
        reason: 'PolicyError',
        message: `policy ${key.policy}/${key.rule} error: ${message}`,
      });
    }
  }

  /**
   * Whether the change an admission request announced is visible yet: a created trigger exists; a
   * deleted one is gone or terminating (only for the webhook's account, which knows who deleted it:
   * the deletion is then judged with that requester, not as an anonymous watch event).
   */
  private async admissionTookEffect(key: GenerateKey, admission: AdmissionInfo | undefined): Promise<boolean> {
    if (admission?.operation === 'CREATE') {
      const live = await this.liveTrigger(key);
      return live !== undefined && (key.trigger.uid === '' || live.metadata.uid === key.trigger.uid);
    }
    if (admission?.operation === 'DELETE' && admission.user) {
      const live = await this.liveTrigger(key);
      return live === undefined || live.metadata.deletionTimestamp !== undefined;
    }
    return true;
  }

  private async liveTrigger(key: GenerateKey): Promise<KubeObject | undefined> {
    const t = key.trigger;
    const inf = this.triggerInformers.get(`${t.apiVersion}|${t.kind}`);
    const cached = inf?.get(t.namespace ? `${t.namespace}/${t.name}` : t.name);
    if (cached) return cached;
    try {
      return await this.o.cluster.get({
        apiVersion: t.apiVersion,
        kind: t.kind,
        namespace: t.namespace || undefined,
        name: t.name,
      });
    } catch {
      return undefined;
    }
  }

  /** Policy changes are handled one at a time, in order. */
  private policyChanged(change: PolicyChange | undefined): void {
    if (!change) return;
    this.policyWork = this.policyWork.then(() => this.handlePolicyChange(change));
  }

  private async handlePolicyChange(change: PolicyChange): Promise<void> {
    try {
      if (change.before) await this.cleanup.removedRules(change.before, change.after);
      if (change.before && change.after) await this.cleanup.releaseChangedTargets(change.before, change.after);
      if (change.after) {
        await this.ensureWatches(change.after);
        this.scanPolicy(change.after, change.before === undefined);
      }
    } catch (e) {
      this.log.error({ err: e, policy: change.key }, 'policy change not fully handled; resync will retry');
    }
    for (const l of this.changeListeners) l(change);
  }

  /** Queues every key a policy may need: generateExisting triggers and existing downstream. */
  private scanPolicy(policy: KyvernoPolicy, created: boolean): void {
    const key = keyOfPolicy(policy);
    for (const rule of policy.spec.rules) {
      if (!rule.generate) continue;
      const existing = rule.generate.generateExisting ?? policy.spec.generateExisting ?? false;
      // generateExisting creates; otherwise only keys whose downstream exists are converged (below).
      if (existing) {
        for (const { gvk, objects } of this.triggerGroupsOf(rule)) {
          for (const obj of objects) {
            if (!this.matchesInBackground(policy, rule, obj, gvk)) continue;
            this.enqueue({ policy: key, rule: rule.name, trigger: triggerRefOf(obj) }, { force: true });
          }
        }
      }
      if (!created) {
        for (const d of this.downstream.forRule(key, rule.name)) this.enqueueDownstream(d);
      }
    }
  }

  /** Kyverno evaluates generateExisting with an empty operation and no user. */
  private matchesInBackground(policy: KyvernoPolicy, rule: Rule, obj: KubeObject, gvk: GroupVersionKind = gvkOf(obj)): boolean {
    const ns = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
    return matchesRule(
      {
        resource: obj,
        gvk,
        operation: '',
        namespaceLabels: ns ? (this.namespaces?.get(ns)?.metadata.labels ?? {}) : undefined,
        policyNamespace: policy.kind === 'Policy' ? policy.metadata.namespace : undefined,
      },
      rule.match,
      rule.exclude,
    ).matched;
  }

  private triggersOf(rule: Rule): KubeObject[] {
    return this.triggerGroupsOf(rule).flatMap((g) => g.objects);
  }

  /** The cached triggers a rule matches by kind, per informer (so the kind is parsed once, not per object). */
  private triggerGroupsOf(rule: Rule): { gvk: GroupVersionKind; objects: KubeObject[] }[] {
    const out: { gvk: GroupVersionKind; objects: KubeObject[] }[] = [];
    for (const [id, inf] of this.triggerInformers) {
      const [apiVersion = '', kind = ''] = id.split('|');
      const gvk = { ...parseApiVersion(apiVersion), kind };
      if (kindsOf(rule.match).some((k) => kindFits(k, gvk))) out.push({ gvk, objects: inf.list() });
    }
    return out;
  }

  private enqueueDownstream(obj: KubeObject, delayMs = 0): void {
    const l = obj.metadata.labels ?? {};
    const policy = policyKeyOfDownstream(obj);
    const rule = l[LABEL.ruleName];
    if (!policy || !rule) return;
    const group = l[LABEL.triggerGroup] ?? '';
    const version = l[LABEL.triggerVersion] ?? '';
    const apiVersion = group ? `${group}/${version}` : version;
    const kind = l[LABEL.triggerKind] ?? '';
    const uid = l[LABEL.triggerUid] ?? '';
    const inf = this.triggerInformers.get(`${apiVersion}|${kind}`);
    const live = uid ? inf?.getByUid(uid) : undefined;
    const name = live?.metadata.name ?? l[LABEL.triggerName] ?? '';
    const namespace = l[LABEL.triggerNamespace] ?? '';
    this.enqueue({ policy, rule, trigger: { apiVersion, kind, namespace, name, uid } }, { force: false }, delayMs);
  }

  /** Starts the informers a policy needs: its trigger kinds, downstream kinds and clone sources. */
  private async ensureWatches(policy: KyvernoPolicy): Promise<void> {
    await this.startWatches(policy);
    // Ready (and generateExisting scans) only once the caches hold what exists now: a trigger
    // created after the policy reports Ready is then always a new trigger.
    const signal = this.signal;
    if (!signal) return;
    // A kind that is not served yet (a CRD to come) never syncs: do not hold policy handling on it.
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(SYNC_WAIT_MS)]);
    await Promise.all(this.factory.all().map((i) => i.waitForSync(timeout)));
  }

  private async startWatches(policy: KyvernoPolicy): Promise<void> {
    for (const rule of policy.spec.rules) {
      if (!rule.generate) continue;
      for (const sel of kindsOf(rule.match)) {
        for (const info of await this.resolveSelector(sel)) {
          const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
          const id = `${apiVersion}|${info.kind}`;
          if (this.triggerInformers.has(id)) continue;
          this.watchTriggerKind(
            { apiVersion, kind: info.kind },
            this.factory.informerFor({ apiVersion, kind: info.kind }),
          );
        }
      }
      for (const d of downstreamKinds(rule)) this.watchDownstreamKind(d.apiVersion, d.kind);
      for (const s of cloneSourceWatches(rule)) this.watchCloneSources(s);
    }
  }

  private watchTriggerKind(ref: { apiVersion: string; kind: string }, inf: Informer): void {
    const id = `${ref.apiVersion}|${ref.kind}`;
    if (this.triggerInformers.has(id)) return;
    this.triggerInformers.set(id, inf);
    const late = this.startupComplete;
    let replaying = true;
    inf.addHandlers({
      onAdd: (obj) => {
        // Objects that existed before a new policy are not its triggers (Kyverno semantics).
        if (late && (replaying || !inf.hasSynced())) return;
        this.enqueueForTrigger(obj, { force: true, admission: { operation: 'CREATE' } });
      },
      onUpdate: (old, obj) => {
        if (old !== obj) this.enqueueForTrigger(obj, { force: true, admission: { operation: 'UPDATE', oldObject: old } });
        else this.enqueueForTrigger(obj, { force: false }, (rule) => rule.generate?.synchronize === true);
      },
      onDelete: (obj) => this.enqueueForTrigger(obj, { force: false, admission: { operation: 'DELETE', oldObject: obj } }),
    });
    replaying = false;
  }

  private watchDownstreamKind(apiVersion: string, kind: string): void {
    const id = `d|${apiVersion}|${kind}`;
    if (this.watched.has(id)) return;
    this.watched.add(id);
    // Only labels and identity are read from downstream: the informer keeps nothing else.
    const inf = this.factory.informerFor({
      apiVersion,
      kind,
      labelSelector: DOWNSTREAM_SELECTOR,
      transform: { id: 'downstream', apply: projectDownstream },
    });
    inf.addHandlers({
      onAdd: (obj) => this.downstream.upsert(obj),
      onUpdate: (_old, obj) => {
        this.downstream.upsert(obj);
        if (this.ruleSynchronizes(obj)) this.enqueueDownstream(obj);
      },
      onDelete: (obj) => {
        this.downstream.remove(obj);
        // Re-create after a pause, not in the same instant: whoever deleted it (a person, a namespace
        // being torn down, a tool waiting to see it gone) gets to see the deletion take effect.
        if (this.ruleSynchronizes(obj)) this.enqueueDownstream(obj, this.o.recreateDelayMs ?? 1500);
      },
    });
  }

  private watchCloneSources(w: CloneSourceWatch): void {
    const { apiVersion, kind, namespace } = w;
    const labelled = w.labelled === true;
    const id = `s|${apiVersion}|${kind}|${namespace}|${labelled}`;
    if (this.watched.has(id)) return;
    this.watched.add(id);
    const inf = this.factory.informerFor({
      apiVersion,
      kind,
      namespace: namespace || undefined,
      labelSelector: labelled ? LABEL.cloneSource : undefined,
    });
    const changed = (src: KubeObject): void => {
      // Copies follow their source; rules that clone it get a chance to create copies it now allows.
      for (const copy of this.downstream.copiesOf(src))
        if (this.ruleSynchronizes(copy)) this.enqueueDownstream(copy);
      for (const policy of this.policies.all()) {
        for (const rule of policy.spec.rules) {
          if (!rule.generate?.synchronize) continue;
          const same = (o: CloneSourceWatch): boolean =>
            o.kind === kind && o.namespace === namespace && (o.labelled === true) === labelled;
          if (!cloneSourceWatches(rule).some(same)) continue;
          for (const t of this.triggersOf(rule))
            this.enqueue(
              { policy: keyOfPolicy(policy), rule: rule.name, trigger: triggerRefOf(t) },
              { force: false },
            );
        }
      }
    };
    inf.addHandlers({ onAdd: changed, onUpdate: (_o, n) => changed(n), onDelete: changed });
  }

  private ruleSynchronizes(obj: KubeObject): boolean {
    const policy = policyKeyOfDownstream(obj);
    const rule = obj.metadata.labels?.[LABEL.ruleName];
    const p = policy ? this.policies.get(policy) : undefined;
    return p?.spec.rules.find((r) => r.name === rule)?.generate?.synchronize === true;
  }

  private async resolveSelector(selector: string): Promise<ResourceInfo[]> {
    const s = parseKindSelector(selector);
    if (!s.valid || s.kind.includes('*') || s.kind.includes('?') || s.subresource) return [];
    const all = await this.o.cluster.resources();
    const fits = all.filter(
      (r) =>
        r.kind === s.kind &&
        (s.group === '*' || s.group === '' || r.group === s.group) &&
        (s.version === '*' || s.version === '' || r.version === s.version),
    );
    // One version per group is enough to see every object of a kind.
    const byGroup = new Map<string, ResourceInfo>();
    for (const r of fits) if (!byGroup.has(r.group)) byGroup.set(r.group, r);
    return [...byGroup.values()];
  }

  private async resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.o.resyncPeriodMs ?? 3_600_000;
    while (!signal.aborted) {
      await this.o.clock.sleep(period, signal);
      if (signal.aborted) return;
      this.resync();
    }
  }

  /** Re-queues every key: downstream of synchronized rules and the triggers of those rules. */
  resync(): void {
    for (const policy of this.policies.all()) {
      for (const rule of policy.spec.rules) {
        if (!rule.generate) continue;
        const existing = rule.generate.generateExisting ?? policy.spec.generateExisting ?? false;
        if (!rule.generate.synchronize && !existing) continue;
        for (const { gvk, objects } of this.triggerGroupsOf(rule)) {
          for (const t of objects) {
            if (existing && !this.matchesInBackground(policy, rule, t, gvk)) continue;
            this.enqueue(
              { policy: keyOfPolicy(policy), rule: rule.name, trigger: triggerRefOf(t) },
              { force: existing },
            );
          }
        }
      }
    }
    for (const d of this.downstreamAll()) if (this.ruleSynchronizes(d)) this.enqueueDownstream(d);
  }

  private downstreamAll(): KubeObject[] {
    return this.policies.all().flatMap((p) => this.downstream.forRule(keyOfPolicy(p)));
  }
}

function keyOfPolicy(p: KyvernoPolicy): string {
  return p.kind === 'Policy' ? `${p.metadata.namespace ?? 'default'}/${p.metadata.name}` : p.metadata.name;
}

function kindFits(selector: string, gvk: GroupVersionKind): boolean {
  const s = parseKindSelector(selector);
  if (!s.valid || s.subresource) return false;
  const wild = (p: string, v: string): boolean => p === '' || p === '*' || p === v;
  return wild(s.group, gvk.group) && wild(s.version, gvk.version) && (s.kind === '*' || s.kind === gvk.kind);
}

/**
 * The webhook's account of a change carries who made it; the informer's account of the same change
 * arrives later and does not. Keep the richer one, so the watch event never erases the requester.
 */
/** Two reasons to reconcile one key: either may force creation; records from both are retired. */
function mergeIntents(a: ReconcileIntent | undefined, b: ReconcileIntent): ReconcileIntent {
  // The common case (a background key queued once, no records) allocates nothing but the result.
  if (a === undefined && b.records === undefined) return { force: b.force, admission: b.admission };
  const records = [...new Set([...(a?.records ?? []), ...(b.records ?? [])])];
  return {
    force: b.force || (a?.force ?? false),
    admission: mergeAdmission(a?.admission, b.admission),
    ...(records.length > 0 ? { records } : {}),
  };
}

function mergeAdmission(prev: AdmissionInfo | undefined, next: AdmissionInfo | undefined): AdmissionInfo | undefined {
  if (!next) return prev;
  if (prev?.user && !next.user) return prev;
  return next;
}
