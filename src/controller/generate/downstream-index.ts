// An in-memory index of generated objects, fed by informers on the downstream kinds (selected by
// Kyverno's policy-name label), so the reconciler finds a trigger's downstream without listing.
// Objects are filed in nested maps (policy -> rule -> trigger) rather than under composite string
// keys: with tens of thousands of downstream objects, one key string per object and index was most
// of the index's memory.
import type { KubeObject, ObjectMeta } from '../../api/kube.js';
import type { ObjectRef } from '../../cluster/client.js';
import { LABEL } from '../../engine/generate/labels.js';

export const DOWNSTREAM_SELECTOR = LABEL.policyName;

/** Annotations the controller itself reads on downstream objects (the rest is not kept). */
const KEPT_ANNOTATION_PREFIX = 'generate.sprout.io/';

export function policyKeyOfDownstream(obj: KubeObject): string | undefined {
  const labels = obj.metadata.labels ?? {};
  const name = labels[LABEL.policyName];
  if (!name) return undefined;
  const ns = labels[LABEL.policyNamespace] ?? '';
  return ns ? `${ns}/${name}` : name;
}

/**
 * What the controller reads of a downstream object: its identity, labels, its own annotations and
 * whether it is being deleted. The content (data, spec) is always read from the server before a
 * write, so caching it would only cost memory.
 */
export function projectDownstream(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const metadata: ObjectMeta = { name: m.name };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  if (m.uid !== undefined) metadata.uid = m.uid;
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  if (m.deletionTimestamp !== undefined) metadata.deletionTimestamp = m.deletionTimestamp;
  if (m.labels !== undefined) metadata.labels = m.labels;
  if (m.annotations !== undefined) {
    let own: Record<string, string> | undefined;
    for (const [k, v] of Object.entries(m.annotations)) {
      if (k.startsWith(KEPT_ANNOTATION_PREFIX)) (own ??= {})[k] = v;
    }
    if (own !== undefined) metadata.annotations = own;
  }
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
}

function refId(apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name ?? ''}`;
}

const objectId = (o: KubeObject): string => refId(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);

/** A rule's downstream, all of it and by trigger (uid, or the legacy trigger-name label). */
interface RuleFiles {
  all: Set<KubeObject>;
  byTriggerUid: Map<string, KubeObject[]>;
  byTriggerName: Map<string, KubeObject[]>;
}

function sourceKeyOf(o: KubeObject): string | undefined {
  const l = o.metadata.labels ?? {};
  const kind = l[LABEL.sourceKind];
  if (kind === undefined) return undefined;
  const src = l[LABEL.sourceUid] ? `u|${l[LABEL.sourceUid]}` : `m|${l[LABEL.sourceName] ?? ''}`;
  return `${kind}|${l[LABEL.sourceNamespace] ?? ''}|${src}`;
}

function addTo<K>(map: Map<K, KubeObject[]>, key: K, obj: KubeObject): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [obj]);
  else list.push(obj);
}

function removeFrom<K>(map: Map<K, KubeObject[]>, key: K, obj: KubeObject): void {
  const list = map.get(key);
  if (list === undefined) return;
  const rest = list.filter((o) => o !== obj);
  if (rest.length === 0) map.delete(key);
  else map.set(key, rest);
}

export class DownstreamIndex {
  private readonly objects = new Map<string, KubeObject>();
  /** policy key -> rule name -> files. */
  private readonly policies = new Map<string, Map<string, RuleFiles>>();
  /** Clone source -> copies. */
  private readonly sources = new Map<string, Set<KubeObject>>();

  upsert(obj: KubeObject): void {
    this.remove(obj);
    this.objects.set(objectId(obj), obj);
    const policy = policyKeyOfDownstream(obj);
    if (policy !== undefined) {
      const l = obj.metadata.labels ?? {};
      const files = this.filesFor(policy, l[LABEL.ruleName] ?? '', true);
      files.all.add(obj);
      const uid = l[LABEL.triggerUid];
      const name = l[LABEL.triggerName];
      if (uid) addTo(files.byTriggerUid, uid, obj);
      else if (name) addTo(files.byTriggerName, name, obj);
    }
    const source = sourceKeyOf(obj);
    if (source !== undefined) {
      let copies = this.sources.get(source);
      if (copies === undefined) this.sources.set(source, (copies = new Set()));
      copies.add(obj);
    }
  }

  remove(obj: KubeObject): void {
    const id = objectId(obj);
    const old = this.objects.get(id);
    if (old === undefined) return;
    this.objects.delete(id);
    const policy = policyKeyOfDownstream(old);
    if (policy !== undefined) {
      const l = old.metadata.labels ?? {};
      const rule = l[LABEL.ruleName] ?? '';
      const files = this.filesFor(policy, rule, false);
      if (files !== undefined) {
        files.all.delete(old);
        const uid = l[LABEL.triggerUid];
        const name = l[LABEL.triggerName];
        if (uid) removeFrom(files.byTriggerUid, uid, old);
        else if (name) removeFrom(files.byTriggerName, name, old);
        if (files.all.size === 0) {
          const rules = this.policies.get(policy);
          rules?.delete(rule);
          if (rules?.size === 0) this.policies.delete(policy);
        }
      }
    }
    const source = sourceKeyOf(old);
    if (source !== undefined) {
      const copies = this.sources.get(source);
      copies?.delete(old);
      if (copies?.size === 0) this.sources.delete(source);
    }
  }

  /** Whether a downstream object with this identity is known (the cache may lag the server). */
  has(ref: ObjectRef): boolean {
    return this.objects.has(refId(ref.apiVersion, ref.kind, ref.namespace, ref.name));
  }

  /** Downstream of one rule for one trigger (by uid, or the legacy trigger-name label). */
  forTrigger(policy: string, rule: string, triggerUid: string, triggerName?: string): KubeObject[] {
    const files = this.filesFor(policy, rule, false);
    if (files === undefined) return [];
    const byUid = files.byTriggerUid.get(triggerUid) ?? [];
    if (triggerName === undefined) return [...byUid];
    return [...byUid, ...(files.byTriggerName.get(triggerName) ?? [])];
  }

  forRule(policy: string, rule?: string): KubeObject[] {
    if (rule !== undefined) return [...(this.filesFor(policy, rule, false)?.all ?? [])];
    const out: KubeObject[] = [];
    for (const files of this.policies.get(policy)?.values() ?? []) out.push(...files.all);
    return out;
  }

  /** Copies of a clone source. */
  copiesOf(source: KubeObject): KubeObject[] {
    const base = `${source.kind}|${source.metadata.namespace ?? ''}|`;
    return [
      ...(this.sources.get(`${base}u|${source.metadata.uid ?? ''}`) ?? []),
      ...(this.sources.get(`${base}m|${source.metadata.name ?? ''}`) ?? []),
    ];
  }

  size(): number {
    return this.objects.size;
  }

  private filesFor(policy: string, rule: string, create: true): RuleFiles;
  private filesFor(policy: string, rule: string, create: false): RuleFiles | undefined;
  private filesFor(policy: string, rule: string, create: boolean): RuleFiles | undefined {
    let rules = this.policies.get(policy);
    if (rules === undefined) {
      if (!create) return undefined;
      this.policies.set(policy, (rules = new Map<string, RuleFiles>()));
    }
    let files = rules.get(rule);
    if (files === undefined && create) {
      files = { all: new Set(), byTriggerUid: new Map(), byTriggerName: new Map() };
      rules.set(rule, files);
    }
    return files;
  }
}
