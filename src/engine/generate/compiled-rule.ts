// A generate rule parsed once: its patterns' `{{ }}` strings, its context entries and foreach lists.
// Cached per rule object, so a policy must be replaced rather than edited in place to change it
// (the controller and the CLI both build new policy objects from what they read).
import type { JsonValue } from '../../api/json.js';
import type { ContextEntry, ForEachGeneration, GeneratePattern, KyvernoPolicy, Rule } from '../../api/policy.js';
import type { CompiledConditions } from '../conditions/compiled.js';
import { compileConditions } from '../conditions/compiled.js';
import type { CompiledContext } from '../context/compiled.js';
import { compileContext } from '../context/compiled.js';
import { ruleMayReadImages } from '../images.js';
import type { CompiledExpression } from '../jmespath/index.js';
import { compile } from '../jmespath/index.js';
import type { MatchMemo } from '../match/index.js';
import { matchMemo } from '../match/index.js';
import type { EvalContext } from '../variables/context.js';
import type { DocTemplate } from '../variables/doc-template.js';
import { compileDoc } from '../variables/doc-template.js';
import type { StringTemplate } from '../variables/string-template.js';
import { compileString, stringify } from '../variables/string-template.js';

/** The fields of a GeneratePattern that are substituted, in the order the rule's text is resolved. */
export const PATTERN_KEYS = [
  'apiVersion',
  'kind',
  'name',
  'namespace',
  'data',
  'clone',
  'cloneList',
] as const;
export type PatternKey = (typeof PATTERN_KEYS)[number];

export interface CompiledPattern {
  /** Where the pattern sits in the rule (/generate, /generate/foreach/0): the base of error paths. */
  readonly path: string;
  readonly fields: readonly { readonly key: PatternKey; readonly template: DocTemplate }[];
  /** Each field's template (the same as in `fields`), undefined when the pattern does not set it. */
  readonly apiVersion: DocTemplate | undefined;
  readonly kind: DocTemplate | undefined;
  readonly name: DocTemplate | undefined;
  readonly namespace: DocTemplate | undefined;
  readonly data: DocTemplate | undefined;
  readonly clone: DocTemplate | undefined;
  readonly cloneList: DocTemplate | undefined;
  /**
   * The keys of the rendered `data` besides apiVersion, kind and metadata, in order, when the template
   * fixes them (an object whose keys have no variables); undefined otherwise.
   */
  readonly bodyKeys: readonly string[] | undefined;
  /**
   * The `data` template's keys, when the pattern is certain to produce a data target whose body can
   * be rendered straight into the object: `data` is an object template (no `__proto__` key) and
   * there is no clone or cloneList.
   */
  readonly fusedData: FusedFill | undefined;
}

/** The key list of an object template (see DocTemplate). */
export type FusedFill = Extract<DocTemplate, { kind: 'object' }>['fill'];

export interface CompiledForeach {
  readonly source: ForEachGeneration;
  readonly path: string;
  readonly list: CompiledList;
  readonly context: CompiledContext;
  readonly preconditions: CompiledConditions;
  readonly pattern: CompiledPattern;
  /** The element scope may be overwritten from one element to the next (see reusableElementScope). */
  readonly reusesScope: boolean;
}

export interface CompiledGenerateRule {
  readonly rule: Rule;
  /** The rule's kind-only match decision and last answer (see match/kind-only.ts). */
  readonly matchMemo: MatchMemo;
  /** The rule's expressions may read `images` (see ruleMayReadImages). */
  readonly readsImages: boolean;
  /** Lists DELETE explicitly: generate when the trigger is deleted, from the deleted object. */
  readonly onDelete: boolean;
  readonly context: CompiledContext;
  readonly preconditions: CompiledConditions;
  /** Every context entry (rule and foreach) loads without I/O: the rule can run without awaiting. */
  readonly sync: boolean;
  readonly pattern: CompiledPattern | undefined;
  readonly foreach: readonly CompiledForeach[];
  /** `generate.synchronize` and `generate.orphanDownstreamOnPolicyDelete`, read once for every plan. */
  readonly synchronize: boolean;
  readonly orphanDownstreamOnPolicyDelete: boolean;
}

const cache = new WeakMap<Rule, CompiledGenerateRule>();

export function compiledGenerateRule(rule: Rule): CompiledGenerateRule {
  let c = cache.get(rule);
  if (c === undefined) {
    c = compileRule(rule);
    cache.set(rule, c);
  }
  return c;
}

/** A policy's generate rules, compiled, in order; `sync` when none of them needs a lookup. */
export interface CompiledGeneratePolicy {
  readonly rules: readonly CompiledGenerateRule[];
  readonly sync: boolean;
}

const policies = new WeakMap<KyvernoPolicy, CompiledGeneratePolicy>();

/** compiledGenerateRule() for every generate rule of the policy, looked up once per policy. */
export function compiledGeneratePolicy(policy: KyvernoPolicy): CompiledGeneratePolicy {
  let c = policies.get(policy);
  if (c === undefined) {
    const rules = policy.spec.rules.filter((r) => r.generate).map(compiledGenerateRule);
    c = { rules, sync: rules.every((r) => r.sync) };
    policies.set(policy, c);
  }
  return c;
}

function compileRule(rule: Rule): CompiledGenerateRule {
  const gen = rule.generate ?? {};
  const context = compileContext(rule.context);
  const foreach =
    gen.foreach && gen.foreach.length > 0
      ? gen.foreach.map((fe, i): CompiledForeach => {
          const path = `/generate/foreach/${i}`;
          return {
            source: fe,
            path,
            list: compileList(fe.list),
            context: compileContext(fe.context),
            preconditions: compileConditions(fe.preconditions),
            pattern: compilePattern(fe, path),
            reusesScope: reusableElementScope(fe.context),
          };
        })
      : [];
  return {
    rule,
    matchMemo: matchMemo(rule.match, rule.exclude ?? undefined),
    readsImages: ruleMayReadImages(rule),
    onDelete: generatesOnDelete(rule),
    context,
    preconditions: compileConditions(rule.preconditions),
    sync: context.sync && foreach.every((fe) => fe.context.sync),
    pattern: foreach.length > 0 ? undefined : compilePattern(gen, '/generate'),
    foreach,
    synchronize: gen.synchronize === true,
    orphanDownstreamOnPolicyDelete: gen.orphanDownstreamOnPolicyDelete === true,
  };
}

/**
 * Each element of a foreach writes `element`, `elementIndex`, then its context entries, in order, into
 * a copy of the rule's scope. Overwriting the previous element's scope instead gives the same scope,
 * provided nothing can see an entry's old value before it is rewritten: no entry may mention its own
 * name or a later entry's name, nor read the whole scope (`@`, `*`), nor build an expression at run
 * time (a variable inside a variable); names are plain top-level names (no dotted path). Checked on
 * the entries' text, conservatively (a name that merely occurs in another word also counts).
 */
function reusableElementScope(entries: readonly ContextEntry[] | undefined): boolean {
  const list = entries ?? [];
  if (!list.every((e) => e.variable !== undefined && typeof e.name === 'string' && /^[A-Za-z_]\w*$/.test(e.name)))
    return false;
  return list.every((entry, i) => {
    const text = JSON.stringify(entry.variable);
    if (text.includes('@') || text.includes('*') || /\{\{[^}]*\{\{/.test(text)) return false;
    return list.slice(i).every((later) => !text.includes(later.name));
  });
}

function generatesOnDelete(rule: Rule): boolean {
  const lists = [
    rule.match.resources,
    ...(rule.match.any ?? []).map((f) => f.resources),
    ...(rule.match.all ?? []).map((f) => f.resources),
  ];
  return lists.some((r) => r?.operations?.includes('DELETE') ?? false);
}

function compilePattern(pattern: GeneratePattern, path: string): CompiledPattern {
  const fields: { key: PatternKey; template: DocTemplate }[] = [];
  for (const key of PATTERN_KEYS) {
    const v = pattern[key];
    if (v !== undefined) fields.push({ key, template: compileDoc(v as JsonValue, `/${key}`) });
  }
  const field = (key: PatternKey): DocTemplate | undefined => fields.find((f) => f.key === key)?.template;
  return {
    path,
    fields,
    apiVersion: field('apiVersion'),
    kind: field('kind'),
    name: field('name'),
    namespace: field('namespace'),
    data: field('data'),
    clone: field('clone'),
    cloneList: field('cloneList'),
    bodyKeys: fixedBodyKeys(field('data')),
    fusedData: fusedFill(field('data'), field('clone') === undefined && field('cloneList') === undefined),
  };
}

function fusedFill(data: DocTemplate | undefined, dataOnly: boolean): FusedFill | undefined {
  if (!dataOnly || data?.kind !== 'object') return undefined;
  // A `__proto__` key changes the rendered body's prototype: that case keeps the general path.
  if (data.fill.some((f) => f.key === '__proto__') || Object.hasOwn(data.shape, '__proto__')) return undefined;
  return data.fill;
}

function fixedBodyKeys(data: DocTemplate | undefined): string[] | undefined {
  let doc: JsonValue | undefined;
  if (data?.kind === 'object') doc = data.shape;
  else if (data?.kind === 'static') doc = data.value;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  return Object.keys(doc).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata');
}

/** A foreach `list`: a JMESPath expression, possibly with variables to substitute first. */
export interface CompiledList {
  readonly source: string;
  evaluate(ctx: EvalContext, operation: string): JsonValue;
}

function compileList(source: string): CompiledList {
  if (typeof source === 'string' && source.includes('{{')) {
    const template: StringTemplate = compileString(source);
    return {
      source,
      evaluate: (ctx, operation) => ctx.query(stringify(template.render(ctx, { operation }, ''))),
    };
  }
  let compiled: CompiledExpression | undefined;
  try {
    compiled = typeof source === 'string' ? compile(source) : undefined;
  } catch {
    // Evaluated (and reported) per request, as before compilation existed.
  }
  const fixed = compiled;
  if (fixed === undefined) return { source, evaluate: (ctx) => ctx.query(stringify(source)) };
  return { source, evaluate: (ctx) => ctx.evaluate(fixed) };
}
