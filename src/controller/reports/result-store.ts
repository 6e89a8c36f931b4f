// The latest validate results per resource and policy, in memory. Background scans and admission both
// write here; each resource's report is rendered from its own entry. A result keeps its timestamp
// while its outcome is unchanged, so rescans do not rewrite reports that say the same thing.
import { parseApiVersion } from '../../api/kube.js';
import type { ReportResult, ReportSubject, ResourceRef } from './report-format.js';

export type ResultSource = 'background' | 'admission';

interface PolicyResults {
  source: ResultSource;
  results: ReportResult[];
}

interface Entry {
  subject: ReportSubject;
  policies: Map<string, PolicyResults>;
}

/** A resource by name (not uid): what informers and scan keys know when an object is gone. */
export type ResourceName = Pick<ResourceRef, 'apiVersion' | 'kind' | 'name' | 'namespace'>;

/** What a resource key holds: the API group (not an apiVersion), kind, namespace and name. */
export interface ResourceKeyParts {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Keyed by API group, not version: one object is served under every version of its kind (autoscaling/v1
 * and v2 HPAs, CRDs with several versions), and admission sends whichever version the client used
 * while the informer watches one. A versioned key would give one object two entries writing one report.
 */
export function resourceKey(ref: ResourceName): string {
  return `${parseApiVersion(ref.apiVersion).group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

export function parseResourceKey(key: string): ResourceKeyParts {
  const [group = '', kind = '', namespace = '', name = ''] = key.split('|');
  return { group, kind, name, ...(namespace ? { namespace } : {}) };
}

const sameOutcome = (a: ReportResult, b: ReportResult): boolean =>
  a.rule === b.rule && a.result === b.result && a.message === b.message &&
  a.category === b.category && a.severity === b.severity && a.scored === b.scored &&
  a.properties.process === b.properties.process;

export class ResultStore {
  private readonly entries = new Map<string, Entry>();

  /**
   * Replaces one policy's results for a resource; returns true when its report would change. A
   * resource seen under a new uid (deleted and recreated) starts afresh: the old results were about
   * another object.
   */
  set(subject: ReportSubject, policy: string, source: ResultSource, results: ReportResult[]): boolean {
    const key = resourceKey(subject);
    const found = this.entries.get(key);
    const renamed = found !== undefined && found.subject.uid !== subject.uid;
    const entry = found && !renamed ? found : { subject, policies: new Map<string, PolicyResults>() };
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
    return renamed || (changed && !(before === undefined && results.length === 0));
  }

  /** Background results of policies not in `keep` are dropped (the policy no longer applies). */
  retainBackground(ref: ResourceName, keep: ReadonlySet<string>): boolean {
    const key = resourceKey(ref);
    const entry = this.entries.get(key);
    if (!entry) return false;
    let changed = false;
    for (const [policy, r] of entry.policies) {
      if (r.source === 'background' && !keep.has(policy)) {
        entry.policies.delete(policy);
        changed = true;
      }
    }
    if (entry.policies.size === 0) this.entries.delete(key);
    return changed;
  }

  removeResource(ref: ResourceName): boolean {
    return this.remove(resourceKey(ref));
  }

  /** Drops a resource's results by its key. */
  remove(key: string): boolean {
    return this.entries.delete(key);
  }

  /** Drops every result of a policy; returns the keys of the resources whose reports change. */
  removePolicy(policy: string): Set<string> {
    const touched = new Set<string>();
    for (const [key, entry] of this.entries) {
      if (!entry.policies.delete(policy)) continue;
      touched.add(key);
      if (entry.policies.size === 0) this.entries.delete(key);
    }
    return touched;
  }

  /** One resource's report content, or undefined when nothing is left to report. */
  reportFor(key: string): { subject: ReportSubject; results: ReportResult[] } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const results: ReportResult[] = [];
    for (const p of entry.policies.values()) results.push(...p.results);
    return { subject: entry.subject, results };
  }

  /** The keys of every resource with results. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
