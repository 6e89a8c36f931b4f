// A validate rule parsed once: preconditions and deny conditions compiled, foreach lists compiled,
// patterns without variables compiled to pattern trees (anchors parsed and sorted), and what the rule
// can read (its own context entries, `images`). Cached per rule object, so a policy must be replaced
// rather than edited in place to change it, as for compiled generate rules.
import type { JsonValue } from '../../api/json.js';
import type { Rule } from '../../api/policy.js';
import type { CompiledConditions } from '../conditions/compiled.js';
import { compileConditions } from '../conditions/compiled.js';
import type { CompiledContext } from '../context/compiled.js';
import { compileContext } from '../context/compiled.js';
import type { CompiledExpression } from '../jmespath/index.js';
import { compile } from '../jmespath/index.js';
import type { EvalContext } from '../variables/context.js';
import { compileString, stringify } from '../variables/string-template.js';
import { compilePattern } from './compiled-pattern.js';
import type { CheckedPatterns } from './verdicts.js';
import type { ForEachValidation, ValidationSpec } from './validation.js';

/** pattern / anyPattern: compiled now when free of variables, else substituted per request. */
export type CompiledPatterns =
  | { readonly fixed: CheckedPatterns }
  | { readonly kind: 'pattern' | 'anyPattern'; readonly doc: JsonValue; readonly path: string };

/** The body shared by a rule and its foreach entries. */
export interface CompiledBody {
  /** Present when the spec has `deny` (its conditions may be absent: nothing is denied). */
  readonly deny: { readonly conditions: CompiledConditions } | undefined;
  readonly patterns: CompiledPatterns | undefined;
  readonly foreach: readonly CompiledForeach[] | undefined;
}

export interface CompiledForeach extends CompiledBody {
  readonly list: CompiledList;
  readonly elementScope: boolean | undefined;
  readonly context: CompiledContext;
  readonly preconditions: CompiledConditions;
}

export interface CompiledValidateRule {
  readonly rule: Rule;
  /**
   * Every context entry (rule and foreach, at any depth) is a `variable`: the rule runs without
   * awaiting. Rules that read the cluster take the general path (validation.ts).
   */
  readonly sync: boolean;
  readonly context: CompiledContext;
  readonly hasContext: boolean;
  readonly preconditions: CompiledConditions;
  /** Some expression of the rule may read the `images` variable. */
  readonly needsImages: boolean;
  readonly message: string | undefined;
  readonly body: CompiledBody;
}

const cache = new WeakMap<Rule, CompiledValidateRule>();

export function compiledValidateRule(rule: Rule): CompiledValidateRule {
  let c = cache.get(rule);
  if (c === undefined) {
    c = compileRule(rule);
    cache.set(rule, c);
  }
  return c;
}

function compileRule(rule: Rule): CompiledValidateRule {
  const validate = rule.validate ?? {};
  const spec = validate as unknown as ValidationSpec;
  const context = compileContext(rule.context);
  const body = compileBody(spec);
  return {
    rule,
    sync: context.sync && bodySync(body),
    context,
    hasContext: (rule.context ?? []).length > 0,
    preconditions: compileConditions(rule.preconditions),
    needsImages: mayReadImages(rule),
    message: typeof validate['message'] === 'string' ? validate['message'] : undefined,
    body,
  };
}

function bodySync(body: CompiledBody): boolean {
  return (body.foreach ?? []).every((fe) => fe.context.sync && bodySync(fe));
}

function compileBody(spec: ValidationSpec): CompiledBody {
  return {
    deny: spec.deny === undefined ? undefined : { conditions: compileConditions(spec.deny?.conditions) },
    patterns:
      spec.pattern !== undefined
        ? compilePatterns('pattern', spec.pattern)
        : spec.anyPattern !== undefined
          ? compilePatterns('anyPattern', spec.anyPattern)
          : undefined,
    foreach: spec.foreach?.map(compileForeach),
  };
}

function compileForeach(fe: ForEachValidation): CompiledForeach {
  return {
    ...compileBody(fe),
    list: compileList(fe.list),
    elementScope: fe.elementScope,
    context: compileContext(fe.context),
    preconditions: compileConditions(fe.preconditions),
  };
}

function compilePatterns(kind: 'pattern' | 'anyPattern', doc: JsonValue): CompiledPatterns {
  if (!JSON.stringify(doc).includes('{{'))
    return { fixed: kind === 'pattern' ? { kind, node: compilePattern(doc) } : checkedAnyPattern(doc) };
  return { kind, doc, path: `/validate/${kind}` };
}

export function checkedAnyPattern(doc: JsonValue): CheckedPatterns {
  return Array.isArray(doc) ? { kind: 'anyPattern', nodes: doc.map(compilePattern) } : { kind: 'invalid' };
}

/** A foreach `list`: a JMESPath expression, possibly with variables to substitute first. */
export interface CompiledList {
  evaluate(ctx: EvalContext, operation: string): JsonValue;
}

function compileList(source: string): CompiledList {
  if (typeof source === 'string' && source.includes('{{')) {
    const template = compileString(source);
    return { evaluate: (ctx, operation) => ctx.query(stringify(template.render(ctx, { operation }, ''))) };
  }
  let compiled: CompiledExpression | undefined;
  try {
    compiled = typeof source === 'string' ? compile(source) : undefined;
  } catch {
    // Evaluated (and reported) per request, as before compilation existed.
  }
  const fixed = compiled;
  if (fixed === undefined) return { evaluate: (ctx) => ctx.query(stringify(source)) };
  return { evaluate: (ctx) => ctx.evaluate(fixed) };
}

/**
 * Could an expression of the rule read `images`? Only by naming it, by reading the whole root (`@`),
 * or through an expression assembled at run time (a variable inside a variable, a jmesPath or foreach
 * list with variables): anything else spares the rule parsing every image reference of the resource.
 */
function mayReadImages(rule: Rule): boolean {
  const text = JSON.stringify({ context: rule.context, pre: rule.preconditions, validate: rule.validate });
  return (
    text.includes('images') ||
    text.includes('@') ||
    /\{\{[^}]*\{\{/.test(text) ||
    /"(jmesPath|list)":"[^"]*\{\{/.test(text)
  );
}
