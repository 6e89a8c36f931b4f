// One `{{ expr }}` variable: its expression compiled ahead of time where possible, evaluated against
// the context (with the DELETE rewrite and `{{@}}`), and the error a failure reports.
import type { JsonValue } from '../../api/json.js';
import type { CompiledExpression } from '../jmespath/index.js';
import { compile } from '../jmespath/index.js';
import { JmesPathError } from '../jmespath/types.js';
import type { EvalContext } from './context.js';

export class VariableError extends Error {
  constructor(
    message: string,
    readonly variable: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

export interface SubstituteOptions {
  /** The request operation; DELETE rewrites request.object to request.oldObject. */
  operation?: string;
  /** JSON path prefix of the document, for error messages and `{{@}}` ("/generate"). */
  path?: string;
  /** Where `{{@}}` points: "request.object" (default) or "target" (mutate existing). */
  selfRoot?: string;
}

/** A variable's value; `shallow` for `{{- }}`, whose printed value is not substituted again. */
export interface Resolved {
  value: JsonValue;
  shallow: boolean;
}

/** One `{{ expr }}` occurrence with its expression compiled (when it can be ahead of time). */
export class VariablePart {
  readonly shallow: boolean;
  /** undefined: resolve at evaluation time (`{{@}}`, empty, or a syntax error to report then). */
  private readonly compiled: CompiledExpression | undefined;
  private readonly expr: string;
  /**
   * A single top-level field that the DELETE rewrite leaves alone (`element`, `team`): read straight
   * from the context when present (the common case), evaluated as usual when missing.
   */
  readonly topName: string | undefined;
  private deleteCompiled: CompiledExpression | undefined;

  constructor(
    readonly prefix: string,
    readonly text: string,
  ) {
    let expr = text.slice(2, -2).trim();
    this.shallow = expr.startsWith('-');
    if (this.shallow) expr = expr.slice(1).trim();
    this.expr = expr;
    this.compiled = expr === '' || expr === '@' ? undefined : tryCompile(expr);
    const name = this.compiled?.topLevelName;
    this.topName = name !== undefined && rewriteForDelete(expr) === expr ? name : undefined;
  }

  /** Compiled, not `{{- }}`, and reading nothing but `request` (see CompiledExpression). */
  get readsOnlyRequest(): boolean {
    return !this.shallow && this.compiled?.readsOnlyRequest === true;
  }

  resolve(ctx: EvalContext, o: SubstituteOptions, path: string): Resolved {
    if (this.compiled === undefined) return resolveVariable(this.text, ctx, o, path);
    return { value: this.value(ctx, o, path), shallow: this.shallow };
  }

  /** resolve()'s value, without the wrapper, for parts that are compiled (see `compiled`). */
  value(ctx: EvalContext, o: SubstituteOptions, path: string): JsonValue {
    if (this.topName !== undefined) {
      const found = ctx.readName(this.topName);
      if (found !== undefined) return found;
    }
    let compiled = this.compiled;
    if (compiled === undefined) return resolveVariable(this.text, ctx, o, path).value;
    if (o.operation === 'DELETE') {
      this.deleteCompiled ??= tryCompile(rewriteForDelete(this.expr));
      if (this.deleteCompiled === undefined) return resolveVariable(this.text, ctx, o, path).value;
      compiled = this.deleteCompiled;
    }
    try {
      return ctx.evaluate(compiled);
    } catch (e) {
      throw resolveError(compiled.expression, path, e);
    }
  }
}

function tryCompile(expr: string): CompiledExpression | undefined {
  try {
    return compile(expr);
  } catch {
    return undefined;
  }
}

function rewriteForDelete(expr: string): string {
  return expr.split('request.object').join('request.oldObject');
}

function resolveError(expr: string, path: string, e: unknown): VariableError {
  const reason = e instanceof JmesPathError || e instanceof Error ? e.message : String(e);
  return new VariableError(`failed to resolve ${expr} at path ${path || '/'}: ${reason}`, expr, path);
}

function resolveVariable(text: string, ctx: EvalContext, o: SubstituteOptions, path: string): Resolved {
  let expr = text.slice(2, -2).trim();
  let shallow = false;
  if (expr.startsWith('-')) {
    shallow = true;
    expr = expr.slice(1).trim();
  }
  if (expr === '@') expr = selfPath(o.selfRoot ?? 'request.object', path);
  if (o.operation === 'DELETE') expr = rewriteForDelete(expr);
  if (expr === '')
    throw new VariableError(
      `failed to resolve ${text} at path ${path || '/'}: invalid query (nil)`,
      text,
      path,
    );
  try {
    return { value: ctx.query(expr), shallow };
  } catch (e) {
    throw resolveError(expr, path, e);
  }
}

/** `{{@}}` is the value at the current field's position in the resource. */
function selfPath(root: string, path: string): string {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `."${stripAnchor(p)}"`));
  // Skip the rule-level prefix (e.g. /mutate/patchStrategicMerge) that is not part of the resource.
  const start = parts.findIndex((p) => p === '."spec"' || p === '."metadata"' || p === '."data"');
  const tail = start >= 0 ? parts.slice(start).join('') : parts.join('');
  return `${root}${tail}`;
}

function stripAnchor(key: string): string {
  const m = /^[+=X^<]?\((.*)\)$/.exec(key);
  return m?.[1] ?? key;
}

