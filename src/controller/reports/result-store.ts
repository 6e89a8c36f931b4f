// The latest validate results per resource and policy, in memory. Background scans and admission both
// write here; reports are rendered from it per namespace. A result keeps its timestamp while its
// outcome is unchanged, so rescans do not rewrite reports that say the same thing.
import type { ReportResult, ResourceRef } from './report-format.js';

export type ResultSource = 'background' | 'admission';

interface PolicyResults {
  source: ResultSource;
  results: ReportResult[];
}

interface Entry {
  ref: ResourceRef;
  policies: Map<string, PolicyResults>;
}

export function resourceKey(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

const sameOutcome = (a: ReportResult, b: ReportResult): boolean =>
  a.rule === b.rule && a.result === b.result && a.message === b.message &&
  a.category === b.category && a.severity === b.severity && a.scored === b.scored &&
  a.resources[0]?.uid === b.resources[0]?.uid;

export class ResultStore {
  private readonly entries = new Map<string, Entry>();

  /** Replaces one policy's results for a resource; returns true when the report would change. */
  set(ref: ResourceRef, policy: string, source: ResultSource, results: ReportResult[]): boolean {
    const key = resourceKey(ref);
    const entry = this.entries.get(key) ?? { ref, policies: new Map<string, PolicyResults>() };
    if (ref.uid) entry.ref = ref;
    const before = entry.policies.get(policy);
    const kept = results.map((r) => {
      const old = before?.results.find((o) => sameOutcome(o, r));
      return old ? { ...r, timestamp: old.timestamp } : r;
    });
    const changed =
      before === undefined ||
      before.results.length !== kept.length ||
      before.results.some((o, i) => {
        const k = kept[i];
        return k === undefined || !sameOutcome(o, k);
      });
    if (results.length === 0) entry.policies.delete(policy);
    else entry.policies.set(policy, { source, results: kept });
    if (entry.policies.size === 0) this.entries.delete(key);
    else this.entries.set(key, entry);
    return changed && !(before === undefined && results.length === 0);
  }

  /** Background results of policies not in `keep` are dropped (the policy no longer applies). */
  retainBackground(ref: ResourceRef, keep: ReadonlySet<string>): boolean {
    const entry = this.entries.get(resourceKey(ref));
    if (!entry) return false;
    let changed = false;
    for (const [policy, r] of entry.policies) {
      if (r.source === 'background' && !keep.has(policy)) {
        entry.policies.delete(policy);
        changed = true;
      }
    }
    if (entry.policies.size === 0) this.entries.delete(resourceKey(ref));
    return changed;
  }

  removeResource(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): boolean {
    return this.entries.delete(resourceKey(ref));
  }

  /** Drops every result of a policy; returns the namespaces whose reports change. */
  removePolicy(policy: string): Set<string> {
    const touched = new Set<string>();
    for (const [key, entry] of this.entries) {
      if (!entry.policies.delete(policy)) continue;
      touched.add(entry.ref.namespace ?? '');
      if (entry.policies.size === 0) this.entries.delete(key);
    }
    return touched;
  }

  /** The results for one report: a namespace, or '' for cluster-scoped resources. */
  resultsFor(namespace: string): ReportResult[] {
    const out: ReportResult[] = [];
    for (const entry of this.entries.values()) {
      if ((entry.ref.namespace ?? '') !== namespace) continue;
      for (const p of entry.policies.values())
        for (const r of p.results) out.push({ ...r, resources: [entry.ref] });
    }
    return out;
  }

  namespaces(): Set<string> {
    return new Set([...this.entries.values()].map((e) => e.ref.namespace ?? ''));
  }
}
