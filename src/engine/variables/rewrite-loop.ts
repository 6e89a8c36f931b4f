// Kyverno's substitution loop for the strings StringTemplate's fast path cannot take (nested
// variables, escapes, values that themselves contain `{{`): resolve what a scan finds, rewrite,
// scan again. The scans and the variables found after a rewrite are memoised.
import type { JsonValue } from '../../api/json.js';
import type { EvalContext } from './context.js';
import type { Found } from './template-text.js';
import {
  ESCAPED_OPEN,
  findVariables,
  replaceEvery,
  stringify,
  TEMPLATE_CACHE_LIMIT,
  unescape,
} from './template-text.js';
import type { Resolved, SubstituteOptions } from './variable-part.js';
import { VariablePart } from './variable-part.js';

/**
 * The rewritten string (and its scan) that the first round of the loop produced from these
 * replacement texts, kept per template: nested variables (`{{ tiers.{{ env }} }}`) mostly see the
 * same inner values again, and the rewrite, its concatenations and the scan's lookup of a fresh string
 * are then skipped. Only text is kept, never a value.
 */
export interface FirstRound {
  replacements: string[];
  result: string;
  found: readonly Found[];
}

/**
 * Kyverno's loop: resolve what the scan finds, rewrite, scan again. `first` holds the values of the
 * first scan's variables when they were already resolved (same order as findVariables).
 */
export function substituteGeneral(
  value: string,
  ctx: EvalContext,
  o: SubstituteOptions,
  path: string,
  first: readonly Resolved[] | undefined,
  memo?: FirstRound,
): JsonValue {
  let current = value;
  let found = scanned(current);
  let round = 0;
  if (memo !== undefined && first !== undefined && found.length > 0 && found.length === first.length) {
    const rewritten = rewriteFirstRound(value, found, first, memo);
    if (rewritten !== undefined) {
      current = rewritten.result;
      found = rewritten.found;
      round = 1;
    }
  }
  while (found.length > 0) {
    // After inner variables resolve, an outer variable may now be the whole string: it keeps its type.
    const whole = current;
    for (let i = 0; i < found.length; i++) {
      const { prefix, text } = found[i] as Found;
      const result = (round === 0 ? first?.[i] : undefined) ?? partFor(prefix, text).resolve(ctx, o, path);
      if (text === whole && !result.shallow) return result.value;
      let replacement = stringify(result.value);
      if (result.shallow) replacement = replaceEvery(replacement, '{{', ESCAPED_OPEN);
      current = replaceEvery(current, prefix + text, prefix + replacement);
      if (text === whole) return unescape(current);
    }
    round++;
    found = scanned(current);
  }
  return unescape(current);
}

/**
 * The first round of substituteGeneral's loop when no variable is the whole string (then every variable
 * is replaced by its text and none returns early), through `memo`; undefined in the other case.
 */
function rewriteFirstRound(
  value: string,
  found: readonly Found[],
  first: readonly Resolved[],
  memo: FirstRound,
): FirstRound | undefined {
  const replacements: string[] = [];
  // An empty memo (no render yet) never equals: `found` is not empty.
  let same = memo.replacements.length === found.length;
  for (let i = 0; i < found.length; i++) {
    if ((found[i] as Found).text === value) return undefined;
    const result = first[i] as Resolved;
    let replacement = stringify(result.value);
    if (result.shallow) replacement = replaceEvery(replacement, '{{', ESCAPED_OPEN);
    if (same && memo.replacements[i] !== replacement) same = false;
    replacements.push(replacement);
  }
  if (same) return memo;
  let current = value;
  for (let i = 0; i < found.length; i++) {
    const { prefix, text } = found[i] as Found;
    current = replaceEvery(current, prefix + text, prefix + (replacements[i] as string));
  }
  memo.replacements = replacements;
  memo.result = current;
  memo.found = scanned(current);
  return memo;
}

// The loop re-scans the strings it rewrites; a policy yields a bounded set of them (nested variables
// produce one per inner value), so the scans are memoised like the templates.
const scans = new Map<string, readonly Found[]>();

function scanned(s: string): readonly Found[] {
  let found = scans.get(s);
  if (found === undefined) {
    found = findVariables(s);
    if (scans.size >= TEMPLATE_CACHE_LIMIT) scans.clear();
    scans.set(s, found);
  }
  return found;
}

// Variables the loop finds after a rewrite (`{{ tiers.prod }}`), parsed once like the scans.
const rescanned = new Map<string, VariablePart>();

function partFor(prefix: string, text: string): VariablePart {
  let part = rescanned.get(text);
  if (part === undefined) {
    part = new VariablePart(prefix, text);
    if (rescanned.size >= TEMPLATE_CACHE_LIMIT) rescanned.clear();
    rescanned.set(text, part);
  }
  return part;
}

