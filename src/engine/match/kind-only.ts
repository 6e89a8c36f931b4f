// Most match blocks only name kinds (`match.any[].resources.kinds`): no names, namespaces, selectors,
// operations or user info. Such a block decides on the request's kind and subresource alone, and
// every admission request asks the same few kinds, so the last answer per block is kept. Blocks are
// policy values, replaced rather than edited in place, as for every other per-policy cache.
import type { GroupVersionKind } from '../../api/kube.js';
import type { MatchResources, ResourceDescription, ResourceFilter } from '../../api/policy.js';
import { isEmptyUserInfoFilter } from './user-info.js';

export interface Answer {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly subresource: string;
  readonly exclude: MatchResources | undefined;
  readonly reason: string | undefined;
}

const shapes = new WeakMap<MatchResources, boolean>();
const answers = new WeakMap<MatchResources, Answer>();

function onlyKinds(rd: ResourceDescription | undefined): boolean {
  return (
    rd != null &&
    rd.kinds != null &&
    rd.kinds.length > 0 &&
    (rd.name ?? '') === '' &&
    rd.names == null &&
    rd.namespaces == null &&
    rd.annotations == null &&
    rd.selector == null &&
    rd.namespaceSelector == null &&
    rd.operations == null
  );
}

function kindOnlyFilter(f: ResourceFilter): boolean {
  return onlyKinds(f.resources) && isEmptyUserInfoFilter(f);
}

function isKindOnly(m: MatchResources): boolean {
  let shape = shapes.get(m);
  if (shape === undefined) {
    if (m.any != null && m.any.length > 0) shape = m.any.every(kindOnlyFilter);
    else if (m.all != null && m.all.length > 0) shape = m.all.every(kindOnlyFilter);
    else shape = kindOnlyFilter(m);
    shapes.set(m, shape);
  }
  return shape;
}

/** Do match and exclude only name kinds, so that the kind alone decides? */
export function byKind(match: MatchResources, exclude: MatchResources | undefined): boolean {
  return isKindOnly(match) && (exclude == null || isKindOnly(exclude));
}

export const UNKNOWN = Symbol('not answered yet');

/** The remembered reason (undefined: matched) for this kind, or UNKNOWN. Only for byKind() blocks. */
export function knownAnswer(
  match: MatchResources,
  exclude: MatchResources | undefined,
  gvk: GroupVersionKind,
  subresource: string,
): string | undefined | typeof UNKNOWN {
  const last = answers.get(match);
  if (
    last !== undefined &&
    last.kind === gvk.kind &&
    last.version === gvk.version &&
    last.group === gvk.group &&
    last.subresource === subresource &&
    last.exclude === exclude
  )
    return last.reason;
  return UNKNOWN;
}

export function remember(
  match: MatchResources,
  exclude: MatchResources | undefined,
  gvk: GroupVersionKind,
  subresource: string,
  reason: string | undefined,
): void {
  answers.set(match, {
    group: gvk.group,
    version: gvk.version,
    kind: gvk.kind,
    subresource,
    exclude,
    reason,
  });
}

/**
 * byKind() and the last answer, held by a compiled rule instead of looked up by match block: a rule
 * evaluated on every request spares the three WeakMap lookups.
 */
export interface MatchMemo {
  readonly byKind: boolean;
  last: Answer | undefined;
  /**
   * The match block alone only names kinds while the exclude block does more (names, namespaces):
   * the match side's verdict is kept per kind (`matchLast`) and only the exclude side is evaluated.
   */
  readonly matchByKind: boolean;
  matchLast: Answer | undefined;
}

export function matchMemo(match: MatchResources, exclude: MatchResources | undefined): MatchMemo {
  const all = byKind(match, exclude);
  return { byKind: all, last: undefined, matchByKind: !all && isKindOnly(match), matchLast: undefined };
}

type MemoSlot = 'last' | 'matchLast';

/** The reason remembered in a slot for this kind (undefined: matched), or UNKNOWN. */
function slotAnswer(memo: MatchMemo, slot: MemoSlot, gvk: GroupVersionKind, subresource: string): string | undefined | typeof UNKNOWN {
  const last = memo[slot];
  if (
    last !== undefined &&
    last.kind === gvk.kind &&
    last.version === gvk.version &&
    last.group === gvk.group &&
    last.subresource === subresource
  )
    return last.reason;
  return UNKNOWN;
}

function rememberInSlot(memo: MatchMemo, slot: MemoSlot, gvk: GroupVersionKind, subresource: string, reason: string | undefined): void {
  memo[slot] = { group: gvk.group, version: gvk.version, kind: gvk.kind, subresource, exclude: undefined, reason };
}

/** The match side's remembered reason (undefined: matched) for this kind, or UNKNOWN. */
export function memoMatchAnswer(memo: MatchMemo, gvk: GroupVersionKind, subresource: string): string | undefined | typeof UNKNOWN {
  return slotAnswer(memo, 'matchLast', gvk, subresource);
}

/** Keeps the match side's answer (see memoMatchAnswer). */
export function memoRememberMatch(memo: MatchMemo, gvk: GroupVersionKind, subresource: string, reason: string | undefined): void {
  rememberInSlot(memo, 'matchLast', gvk, subresource, reason);
}

/** knownAnswer() from a memo. */
export function memoAnswer(memo: MatchMemo, gvk: GroupVersionKind, subresource: string): string | undefined | typeof UNKNOWN {
  return slotAnswer(memo, 'last', gvk, subresource);
}

/** remember() into a memo. */
export function memoRemember(memo: MatchMemo, gvk: GroupVersionKind, subresource: string, reason: string | undefined): void {
  rememberInSlot(memo, 'last', gvk, subresource, reason);
}
