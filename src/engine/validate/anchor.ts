// Kyverno's anchors: a pattern key written `<modifier>(key)`. The modifier says how the key is used:
// `(key)` conditional, `<(key)` global condition, `=(key)` equality (check only when present),
// `X(key)` negation (must be absent), `^(key)` existence (one list item must match),
// `+(key)` add-if-not-present (mutate only).
export type AnchorKind = 'condition' | 'global' | 'equality' | 'negation' | 'existence' | 'addIfNotPresent';

export interface Anchor {
  kind: AnchorKind;
  /** The key without the anchor. */
  key: string;
  /** The key as written in the pattern. */
  raw: string;
}

const modifiers: Record<string, AnchorKind> = {
  '': 'condition',
  '<': 'global',
  '=': 'equality',
  X: 'negation',
  '^': 'existence',
  '+': 'addIfNotPresent',
};

const ANCHOR = /^([+<=X^]?)\((.+)\)$/s;

/** Parses `raw` as an anchor; undefined for a plain key. */
export function parseAnchor(raw: string): Anchor | undefined {
  const m = ANCHOR.exec(raw);
  if (m === null) return undefined;
  const kind = modifiers[m[1] ?? ''];
  const key = m[2] ?? '';
  if (kind === undefined || key === '') return undefined;
  return { kind, key, raw };
}

/** The key with any anchor removed. */
export function anchorFreeKey(raw: string): string {
  return parseAnchor(raw)?.key ?? raw;
}

/** Conditional or global: the anchors that decide whether a rule (or list item) applies. */
export function isConditionAnchor(a: Anchor | undefined): boolean {
  return a !== undefined && (a.kind === 'condition' || a.kind === 'global');
}
