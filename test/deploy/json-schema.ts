// A JSON Schema validator for the draft-07 subset values.schema.json uses, plus the OpenAPI v3
// dialect of CRD schemas (where an unknown field is pruned by the API server, which the tests treat
// as an error). A keyword outside the subset makes the schema itself an error, so the chart's
// schema cannot rely on a rule these tests would silently skip.

export type Schema = boolean | { [keyword: string]: unknown };

export interface ValidateOptions {
  /** 'openapi': CRD openAPIV3Schema rules (x-kubernetes-*, nullable, pruning of unknown fields). */
  dialect?: 'draft-07' | 'openapi';
}

export class SchemaError extends Error {}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', '$comment', 'definitions', 'format']);
const VALIDATION = new Set([
  'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength',
  'pattern', 'minItems', 'maxItems', 'uniqueItems', 'items', 'properties', 'required', 'additionalProperties',
  '$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
]);
const OPENAPI_ONLY = new Set([
  'nullable', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-map-type',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
]);

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'string':
      return typeof v === 'string';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      throw new SchemaError(`unknown type "${type}"`);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]));
  }
  return v;
}

class Validator {
  readonly errors: string[] = [];

  constructor(
    private readonly root: Schema,
    private readonly dialect: 'draft-07' | 'openapi',
  ) {}

  check(schema: Schema, v: unknown, path: string): void {
    if (schema === true) return;
    if (schema === false) {
      this.errors.push(`${path || '(root)'}: not allowed`);
      return;
    }
    const known = (k: string): boolean => ANNOTATIONS.has(k) || VALIDATION.has(k) || (this.dialect === 'openapi' && OPENAPI_ONLY.has(k));
    for (const k of Object.keys(schema)) if (!known(k)) throw new SchemaError(`${path || '(root)'}: unsupported keyword "${k}"`);
    const at = path || '(root)';
    const fail = (msg: string): void => {
      this.errors.push(`${at}: ${msg}`);
    };
    if (typeof schema.$ref === 'string') this.check(this.resolve(schema.$ref), v, path);
    if (v === null && schema.nullable === true) return;
    if (this.dialect === 'openapi' && schema['x-kubernetes-int-or-string'] === true) {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) fail('must be an integer or a string');
    } else if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeMatches(t, v))) {
        fail(`must be of type ${types.join(' or ')}`);
        return;
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, v))) fail(`must be one of ${JSON.stringify(schema.enum)}`);
    if ('const' in schema && !deepEqual(schema.const, v)) fail(`must be ${JSON.stringify(schema.const)}`);
    if (typeof v === 'number') this.numeric(schema, v, fail);
    if (typeof v === 'string') this.text(schema, v, fail);
    if (Array.isArray(v)) this.array(schema, v, path, fail);
    else if (v !== null && typeof v === 'object') this.object(schema, v as Record<string, unknown>, path, fail);
    this.combinators(schema, v, path, fail);
  }

  private resolve(ref: string): Schema {
    const m = /^#\/definitions\/([^/]+)$/.exec(ref);
    const defs = typeof this.root === 'object' ? (this.root.definitions as Record<string, Schema> | undefined) : undefined;
    const target = m?.[1] !== undefined ? defs?.[m[1]] : undefined;
    if (target === undefined) throw new SchemaError(`unresolvable $ref ${ref}`);
    return target;
  }

  private numeric(s: Record<string, unknown>, v: number, fail: (m: string) => void): void {
    if (typeof s.minimum === 'number' && v < s.minimum) fail(`must be >= ${s.minimum}`);
    if (typeof s.maximum === 'number' && v > s.maximum) fail(`must be <= ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) fail(`must be > ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) fail(`must be < ${s.exclusiveMaximum}`);
  }

  private text(s: Record<string, unknown>, v: string, fail: (m: string) => void): void {
    const length = [...v].length;
    if (typeof s.minLength === 'number' && length < s.minLength) fail(`must be at least ${s.minLength} characters`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) fail(`must be at most ${s.maxLength} characters`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail(`must match ${s.pattern}`);
  }

  private array(s: Record<string, unknown>, v: unknown[], path: string, fail: (m: string) => void): void {
    if (typeof s.minItems === 'number' && v.length < s.minItems) fail(`must have at least ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) fail(`must have at most ${s.maxItems} items`);
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(canonical(x)))).size !== v.length) fail('must not contain duplicates');
    if (Array.isArray(s.items)) throw new SchemaError(`${path}: tuple "items" is outside the supported subset`);
    if (s.items !== undefined) v.forEach((x, i) => this.check(s.items as Schema, x, `${path}[${i}]`));
  }

  private object(s: Record<string, unknown>, v: Record<string, unknown>, path: string, fail: (m: string) => void): void {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in v)) fail(`missing required property "${r}"`);
    for (const [k, x] of Object.entries(v)) {
      // The API server validates a custom resource's metadata itself, whatever the schema says.
      if (this.dialect === 'openapi' && path === '' && k === 'metadata') continue;
      const child = `${path}.${k}`;
      const p = props[k];
      if (p !== undefined) this.check(p, x, child);
      else if (s.additionalProperties !== undefined) this.check(s.additionalProperties as Schema, x, child);
      else if (this.prunes(s)) this.errors.push(`${child}: unknown field (the API server would prune it)`);
    }
  }

  /** In a CRD, an object schema with no open door drops fields it does not list. */
  private prunes(s: Record<string, unknown>): boolean {
    return this.dialect === 'openapi' && s['x-kubernetes-preserve-unknown-fields'] !== true && s.type === 'object';
  }

  private combinators(s: Record<string, unknown>, v: unknown, path: string, fail: (m: string) => void): void {
    const passes = (sub: Schema): boolean => {
      const inner = new Validator(this.root, this.dialect);
      inner.check(sub, v, path);
      return inner.errors.length === 0;
    };
    for (const sub of (s.allOf as Schema[] | undefined) ?? []) this.check(sub, v, path);
    if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some(passes)) fail('must match a schema in anyOf');
    if (Array.isArray(s.oneOf) && (s.oneOf as Schema[]).filter(passes).length !== 1) fail('must match exactly one schema in oneOf');
    if (s.not !== undefined && passes(s.not as Schema)) fail('must not match the schema in "not"');
    if (s.if !== undefined) {
      const branch = passes(s.if as Schema) ? s.then : s.else;
      if (branch !== undefined) this.check(branch as Schema, v, path);
    }
  }
}

/** Problems with `value` under `schema`, each as "path: message"; empty when it is valid. */
export function validateJsonSchema(schema: Schema, value: unknown, options: ValidateOptions = {}): string[] {
  const v = new Validator(schema, options.dialect ?? 'draft-07');
  v.check(schema, value, '');
  return v.errors;
}
