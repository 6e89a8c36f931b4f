// Match/exclude: which requests a rule applies to.
export { matchesRule } from './match-rule.js';
export type { MatchInput, MatchResult } from './match-rule.js';
export { matchMemo, memoAnswer, UNKNOWN } from './kind-only.js';
export type { MatchMemo } from './kind-only.js';
export { requiresNamespaceLabels, kindsOf } from './match-summary.js';
export { parseKindSelector, kindMatches, anyKindMatches } from './kind-selector.js';
export type { KindSelector } from './kind-selector.js';
export { matchesLabelSelector, matchesWildcardLabelSelector } from './label-selector.js';
