// Kyverno's kind selector strings (`Pod`, `v1/Pod`, `apps/v1/Deployment`, `Pod/exec`, ...) split into
// parts, enough to ask a scope oracle about them.

export interface KindSelector {
  group: string;
  version: string;
  kind: string;
  subresource: string;
}

const versionLike = /^(v\d+((alpha|beta)\d+)?|\*)$/;

export function parseKindSelector(selector: string): KindSelector {
  const parts = selector.split('/');
  const [a = '', b = '', c = '', d = ''] = parts;
  switch (parts.length) {
    case 1:
      return { group: '*', version: '*', kind: a, subresource: '' };
    case 2:
      return versionLike.test(a)
        ? { group: '*', version: a, kind: b, subresource: '' }
        : { group: '*', version: '*', kind: a, subresource: b };
    case 3:
      return versionLike.test(a)
        ? { group: '*', version: a, kind: b, subresource: c }
        : { group: a, version: b, kind: c, subresource: '' };
    default:
      return { group: a, version: b, kind: c, subresource: d };
  }
}

/** The apiVersion to hand to a scope oracle: '' when the selector leaves the group open. */
export function selectorApiVersion(s: KindSelector): string {
  // `v1/Pod` leaves the group open, so its version alone would wrongly name the core group.
  if (s.group === '*') return '';
  if (s.group === '') return s.version;
  return `${s.group}/${s.version}`;
}

/** `v1/Secret`, `apps/v1/Deployment` (cloneList kinds) as apiVersion + kind. */
export function splitGroupVersionKind(gvk: string): { apiVersion: string; kind: string } {
  const slash = gvk.lastIndexOf('/');
  if (slash < 0) return { apiVersion: '', kind: gvk };
  return { apiVersion: gvk.slice(0, slash), kind: gvk.slice(slash + 1) };
}
