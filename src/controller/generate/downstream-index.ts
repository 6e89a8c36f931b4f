// An in-memory index of generated objects, fed by informers on the downstream kinds (selected by
// Kyverno's policy-name label), so the reconciler finds a trigger's downstream without listing.
import type { KubeObject } from '../../api/kube.js';
import { LABEL } from '../../engine/generate/labels.js';

export const DOWNSTREAM_SELECTOR = LABEL.policyName;

export function policyKeyOfDownstream(obj: KubeObject): string | undefined {
  const labels = obj.metadata.labels ?? {};
  const name = labels[LABEL.policyName];
  if (!name) return undefined;
  const ns = labels[LABEL.policyNamespace] ?? '';
  return ns ? `${ns}/${name}` : name;
}

function objectId(o: KubeObject): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name ?? ''}`;
}

/** The index keys one object is filed under. */
function keysOf(o: KubeObject): string[] {
  const l = o.metadata.labels ?? {};
  const policy = policyKeyOfDownstream(o);
  const keys: string[] = [];
  if (policy !== undefined) {
    const rule = l[LABEL.ruleName] ?? '';
    keys.push(`p|${policy}`, `r|${policy}|${rule}`);
    if (l[LABEL.triggerUid]) keys.push(`t|${policy}|${rule}|${l[LABEL.triggerUid]}`);
    else if (l[LABEL.triggerName]) keys.push(`n|${policy}|${rule}|${l[LABEL.triggerName]}`);
  }
  if (l[LABEL.sourceKind] !== undefined) {
    const src = l[LABEL.sourceUid] ? `u|${l[LABEL.sourceUid]}` : `m|${l[LABEL.sourceName] ?? ''}`;
    keys.push(`s|${l[LABEL.sourceKind]}|${l[LABEL.sourceNamespace] ?? ''}|${src}`);
  }
  return keys;
}

export class DownstreamIndex {
  private readonly objects = new Map<string, { obj: KubeObject; keys: string[] }>();
  private readonly byKey = new Map<string, Set<string>>();

  upsert(obj: KubeObject): void {
    this.remove(obj);
    const id = objectId(obj);
    const keys = keysOf(obj);
    this.objects.set(id, { obj, keys });
    for (const k of keys) {
      let set = this.byKey.get(k);
      if (!set) this.byKey.set(k, (set = new Set()));
      set.add(id);
    }
  }

  remove(obj: KubeObject): void {
    const id = objectId(obj);
    const entry = this.objects.get(id);
    if (!entry) return;
    this.objects.delete(id);
    for (const k of entry.keys) {
      const set = this.byKey.get(k);
      set?.delete(id);
      if (set?.size === 0) this.byKey.delete(k);
    }
  }

  /** Downstream of one rule for one trigger (by uid, or the legacy trigger-name label). */
  forTrigger(policy: string, rule: string, triggerUid: string, triggerName?: string): KubeObject[] {
    const out = this.lookup(`t|${policy}|${rule}|${triggerUid}`);
    return triggerName === undefined ? out : [...out, ...this.lookup(`n|${policy}|${rule}|${triggerName}`)];
  }

  forRule(policy: string, rule?: string): KubeObject[] {
    return this.lookup(rule === undefined ? `p|${policy}` : `r|${policy}|${rule}`);
  }

  /** Copies of a clone source. */
  copiesOf(source: KubeObject): KubeObject[] {
    const base = `s|${source.kind}|${source.metadata.namespace ?? ''}|`;
    return [
      ...this.lookup(`${base}u|${source.metadata.uid ?? ''}`),
      ...this.lookup(`${base}m|${source.metadata.name ?? ''}`),
    ];
  }

  size(): number {
    return this.objects.size;
  }

  private lookup(key: string): KubeObject[] {
    const ids = this.byKey.get(key);
    if (!ids) return [];
    const out: KubeObject[] = [];
    for (const id of ids) {
      const e = this.objects.get(id);
      if (e) out.push(e.obj);
    }
    return out;
  }
}
