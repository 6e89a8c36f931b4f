// Checks of one rule that need no cluster: its type, names, match/exclude, context, conditions and
// generate block.
import type { JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { Rule } from '../api/policy.js';
import type { ScopeOracle } from './builtin-scopes.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';
import { checkBackgroundRule } from './semantic-background.js';
import { checkConditionBlock } from './semantic-conditions.js';
import { checkContextEntries } from './semantic-context.js';
import { checkGenerate } from './semantic-generate.js';
import { checkExclude, checkMatch } from './semantic-match.js';

export interface RuleCheckContext {
  problems: ProblemList;
  policyNamespace: string | undefined;
  scopeOf: ScopeOracle;
  background: boolean;
}

const ruleTypes = ['mutate', 'validate', 'generate', 'verifyImages'] as const;

function isNonEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(isNonEmpty);
  return isJsonObject(v) && Object.keys(v).length > 0;
}

export function presentRuleTypes(rule: Rule): string[] {
  return ruleTypes.filter((t) => isNonEmpty(rule[t]));
}

export function checkRule(rule: Rule, path: string, ctx: RuleCheckContext): void {
  const { problems } = ctx;
  const types = presentRuleTypes(rule);
  if (types.length === 0) {
    problems.error(
      path,
      `rule ${JSON.stringify(rule.name)} does nothing: give it one of mutate, validate, generate or verifyImages`,
    );
  } else if (types.length > 1) {
    problems.error(
      path,
      `rule ${JSON.stringify(rule.name)} can have only one of mutate, validate, generate or verifyImages, found ${types.join(', ')}`,
    );
  }
  if (rule.imageExtractors !== undefined && !types.includes('verifyImages')) {
    problems.error(child(path, 'imageExtractors'), 'imageExtractors can only be used with verifyImages');
  }
  if (
    rule.celPreconditions !== undefined &&
    !(isJsonObject(rule.validate) && rule.validate.cel !== undefined)
  ) {
    problems.error(child(path, 'celPreconditions'), 'celPreconditions can only be used with validate.cel');
  }
  const validateForeach = isJsonObject(rule.validate) && rule.validate.foreach !== undefined;
  const matchCtx = {
    ...ctx,
    wildcardKindForbidden: types.includes('generate') || types.includes('verifyImages') || validateForeach,
  };
  checkMatch(rule.match, child(path, 'match'), matchCtx);
  checkExclude(rule.exclude, child(path, 'exclude'), matchCtx);
  checkMatchExcludeOverlap(rule, path, problems);
  checkContextEntries(rule.context, child(path, 'context'), problems);
  checkConditionBlock(rule.preconditions as JsonValue | undefined, child(path, 'preconditions'), problems, {
    requireKeyAndValue: true,
  });
  checkValidateConditions(rule.validate, child(path, 'validate'), problems);
  checkForeachConditions(rule.mutate?.foreach, child(child(path, 'mutate'), 'foreach'), problems);
  rule.generate?.foreach?.forEach((entry, i) => {
    const p = index(child(child(path, 'generate'), 'foreach'), i);
    checkContextEntries(entry.context, child(p, 'context'), problems);
    checkConditionBlock(entry.preconditions as JsonValue | undefined, child(p, 'preconditions'), problems, {
      requireKeyAndValue: false,
    });
  });
  checkGenerate(rule, path, ctx);
  if (ctx.background) checkBackgroundRule(rule, path, problems);
}

// A filter that appears both in match.any and in exclude.any leaves nothing to match.
function checkMatchExcludeOverlap(rule: Rule, path: string, problems: ProblemList): void {
  const m = rule.match;
  const e = rule.exclude;
  if (!m?.any?.length || !e?.any?.length || m.all?.length || e.all?.length) return;
  e.any.forEach((ex, j) => {
    if (m.any?.some((f) => JSON.stringify(sortKeys(f)) === JSON.stringify(sortKeys(ex)))) {
      problems.error(
        index(child(child(path, 'exclude'), 'any'), j),
        'this exclude filter equals a match filter, so the rule matches nothing',
      );
    }
  });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isJsonObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return v;
}

function checkValidateConditions(validate: JsonValue | undefined, path: string, problems: ProblemList): void {
  if (!isJsonObject(validate)) return;
  const deny = validate.deny;
  if (isJsonObject(deny)) {
    checkConditionBlock(deny.conditions, child(child(path, 'deny'), 'conditions'), problems, {
      requireKeyAndValue: true,
    });
  }
  checkForeachConditions(validate.foreach, child(path, 'foreach'), problems);
}

// validate.foreach and mutate.foreach entries may nest further foreach lists.
function checkForeachConditions(list: JsonValue | undefined, path: string, problems: ProblemList): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => {
    if (!isJsonObject(entry)) return;
    const p = index(path, i);
    checkConditionBlock(entry.preconditions, child(p, 'preconditions'), problems, {
      requireKeyAndValue: false,
    });
    if (isJsonObject(entry.deny)) {
      checkConditionBlock(entry.deny.conditions, child(child(p, 'deny'), 'conditions'), problems, {
        requireKeyAndValue: false,
      });
    }
    checkForeachConditions(entry.foreach, child(p, 'foreach'), problems);
  });
}
