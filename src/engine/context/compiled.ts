// Context entries compiled once per policy. Entries that only compute (`variable`) load synchronously,
// which spares every rule an await chain; anything that reads the cluster (configMap, apiCall,
// globalReference, imageRegistry) keeps going through loadContext().
import type { JsonValue } from '../../api/json.js';
import type { ContextEntry } from '../../api/policy.js';
import type { CompiledExpression } from '../jmespath/index.js';
import { compile, MissingKey } from '../jmespath/index.js';
import type { DocTemplate } from '../variables/doc-template.js';
import { compileDoc, renderDoc } from '../variables/doc-template.js';
import type { EvalContext } from '../variables/context.js';
import type { StringTemplate } from '../variables/string-template.js';
import { compileString, stringify } from '../variables/string-template.js';
import { ContextLoadError } from './load.js';

interface CompiledVariable {
  readonly name: string;
  /** A top-level name (no `.` or `"`): written without set()'s path parsing. */
  readonly plainName: boolean;
  /** Where substitution errors point: /context/<name>. */
  readonly path: string;
  readonly jmesPath: CompiledQuery | undefined;
  readonly value: DocTemplate | undefined;
  readonly fallback: DocTemplate | undefined;
}

/** A `jmesPath` field: fixed (compiled now) or with variables (substituted, then compiled). */
interface CompiledQuery {
  readonly source: string;
  readonly template: StringTemplate | undefined;
  readonly compiled: CompiledExpression | undefined;
}

export interface CompiledContext {
  /** True when every entry is a `variable`: load() may be used instead of loadContext(). */
  readonly sync: boolean;
  /** loadContext() for variable-only entries; throws ContextLoadError like it does. */
  load(ctx: EvalContext, operation: string): void;
}

const none: CompiledContext = { sync: true, load: () => undefined };

export function compileContext(entries: readonly ContextEntry[] | undefined): CompiledContext {
  if (entries === undefined || entries === null || entries.length === 0) return none;
  if (!entries.every((e) => e.variable)) return { sync: false, load: notSync };
  const compiled = entries.map(compileVariable);
  return {
    sync: true,
    load: (ctx, operation) => {
      for (const entry of compiled) {
        let value: JsonValue;
        try {
          value = loadVariable(entry, ctx, operation);
        } catch (e) {
          if (e instanceof ContextLoadError) throw e;
          throw new ContextLoadError(entry.name, e instanceof Error ? e.message : String(e));
        }
        if (entry.plainName) ctx.setName(entry.name, value);
        else ctx.set(entry.name, value);
      }
    },
  };
}

function notSync(): void {
  throw new Error('context entries that read the cluster must be loaded with loadContext()');
}

function compileVariable(entry: ContextEntry): CompiledVariable {
  const v = entry.variable ?? {};
  return {
    name: entry.name,
    plainName: typeof entry.name === 'string' && !entry.name.includes('.') && !entry.name.includes('"'),
    path: `/context/${entry.name}`,
    jmesPath: v.jmesPath === undefined ? undefined : compileQuery(v.jmesPath),
    value: v.value === undefined ? undefined : compileDoc(v.value),
    fallback: v.default === undefined ? undefined : compileDoc(v.default),
  };
}

function compileQuery(source: string): CompiledQuery {
  if (typeof source === 'string' && source.includes('{{')) {
    return { source, template: compileString(source), compiled: undefined };
  }
  let compiled: CompiledExpression | undefined;
  try {
    compiled = typeof source === 'string' && source !== '' ? compile(source) : undefined;
  } catch {
    // Reported when the entry is loaded, as loadContext() does.
  }
  return { source, template: undefined, compiled };
}

/** loadVariable() of load.ts over compiled parts; the same order of evaluation and the same errors. */
function loadVariable(e: CompiledVariable, ctx: EvalContext, operation: string): JsonValue {
  const o = operationOptions(operation);
  let result: JsonValue = null;
  try {
    const q = e.jmesPath;
    const path = q === undefined ? undefined : queryText(q, ctx, o, e.path);
    if (e.value !== undefined) {
      const value = renderDoc(e.value, ctx, o, e.path);
      if (path)
        result = q?.compiled !== undefined ? ctx.evaluateOn(q.compiled, value) : ctx.queryOn(path, value);
      else result = value;
    } else if (path) {
      if (q?.compiled === undefined) result = ctx.query(path);
      else {
        // A missing key with a default is routine: no throw and catch for it.
        const found = ctx.evaluateOrMissing(q.compiled);
        if (!(found instanceof MissingKey)) result = found;
        else if (e.fallback === undefined) throw found.error;
      }
    }
  } catch (err) {
    if (e.fallback === undefined) throw err;
    result = null;
  }
  if (result === null && e.fallback !== undefined) result = renderDoc(e.fallback, ctx, o, e.path);
  if (result === null) throw new ContextLoadError(e.name, `variable ${e.name} evaluated to nil`);
  return result;
}

// Read-only substitution options, one per operation.
const byOperation = new Map<string, { readonly operation: string }>();
let lastOperationOptions: { readonly operation: string } = Object.freeze({ operation: 'CREATE' });

function operationOptions(operation: string): { readonly operation: string } {
  // Every entry of a request has the same operation: the last options first, then the map.
  if (lastOperationOptions.operation === operation) return lastOperationOptions;
  lastOperationOptions = optionsFor(operation);
  return lastOperationOptions;
}

function optionsFor(operation: string): { readonly operation: string } {
  let o = byOperation.get(operation);
  if (o === undefined) {
    o = Object.freeze({ operation });
    if (byOperation.size >= 16) byOperation.clear();
    byOperation.set(operation, o);
  }
  return o;
}

function queryText(q: CompiledQuery, ctx: EvalContext, o: { operation: string }, path: string): string {
  if (q.template === undefined) return typeof q.source === 'string' ? q.source : stringify(q.source);
  return stringify(q.template.render(ctx, o, path));
}
