// Indexes policies by the kinds their rules match, so a request only meets the policies that can
// apply to it. Selectors with wildcards in the kind go to a short list checked for every request.
import type { GroupVersionKind } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import { anyKindMatches, kindsOf, parseKindSelector } from './match/index.js';

export class PolicyIndex {
  private readonly byKind = new Map<string, KyvernoPolicy[]>();
  private readonly wildcard: KyvernoPolicy[] = [];
  private readonly all: KyvernoPolicy[];
  /** candidates() per GVK and subresource: the answer only depends on them. */
  private readonly memo = new Map<string, KyvernoPolicy[]>();

  constructor(policies: readonly KyvernoPolicy[]) {
    this.all = [...policies];
    for (const p of policies) {
      const kinds = new Set<string>();
      let wild = false;
      for (const rule of p.spec.rules) {
        for (const sel of [...kindsOf(rule.match)]) {
          const k = parseKindSelector(sel).kind;
          if (k.includes('*') || k.includes('?')) wild = true;
          else kinds.add(k);
        }
      }
      if (wild) this.wildcard.push(p);
      for (const k of kinds) {
        const list = this.byKind.get(k) ?? [];
        list.push(p);
        this.byKind.set(k, list);
      }
    }
  }

  /** Policies with at least one rule whose kinds may match this GVK (and subresource). */
  candidates(gvk: GroupVersionKind, subresource = ''): KyvernoPolicy[] {
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}/${subresource}`;
    let hit = this.memo.get(key);
    if (hit === undefined) {
      hit = this.compute(gvk, subresource);
      if (this.memo.size >= 1024) this.memo.clear();
      this.memo.set(key, hit);
    }
    return hit.slice();
  }

  private compute(gvk: GroupVersionKind, subresource: string): KyvernoPolicy[] {
    const exact = this.byKind.get(gvk.kind) ?? [];
    const out = exact.filter((p) =>
      p.spec.rules.some((r) => anyKindMatches(kindsOf(r.match), gvk, subresource)),
    );
    for (const p of this.wildcard) {
      if (!out.includes(p) && p.spec.rules.some((r) => anyKindMatches(kindsOf(r.match), gvk, subresource)))
        out.push(p);
    }
    return out;
  }

  policies(): readonly KyvernoPolicy[] {
    return this.all;
  }
}
