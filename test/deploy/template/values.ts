// Go's view of the values a Helm template handles. Helm decodes values files through JSON, so every
// number in .Values is a float64 (a JS number here), while integer literals in a template and the
// result of `int` are Go ints (a JS bigint here). Comparing the two is an error in Go templates,
// which is why charts write `gt (int .Values.replicaCount) 1`; keeping the distinction lets the
// tests catch the same mistake helm would.

export class TemplateRuntimeError extends Error {}

/** Marks objects that stand for Go structs (.Release, .Chart): a missing field is an error. */
export const STRUCT = Symbol('go-struct');

export type GoKind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map';

export function kindOf(v: unknown): GoKind {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  throw new TemplateRuntimeError(`unsupported value of type ${typeof v}`);
}

const goTypeName: Record<GoKind, string> = {
  nil: '<nil>',
  bool: 'bool',
  int: 'int',
  float: 'float64',
  string: 'string',
  slice: '[]interface {}',
  map: 'map[string]interface {}',
};

export function goType(v: unknown): string {
  return goTypeName[kindOf(v)];
}

/** Go's `truth`: the zero value and empty collections are false. Also sprig's `empty`, negated. */
export function isTruthy(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return false;
    case 'bool':
      return v === true;
    case 'int':
      return v !== 0n;
    case 'float':
      return v !== 0;
    case 'string':
      return v !== '';
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return Object.keys(v as object).length > 0;
  }
}

/** strconv.FormatFloat(v, 'g', -1, 64), which is what %v prints for a float64. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

/** fmt.Sprint of one value (%v). */
export function formatGo(v: unknown): string {
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
    case 'int':
    case 'string':
      return String(v);
    case 'float':
      return formatGoFloat(v as number);
    case 'slice':
      return `[${(v as unknown[]).map(formatGo).join(' ')}]`;
    case 'map': {
      const obj = v as Record<string, unknown>;
      return `map[${Object.keys(obj)
        .sort()
        .map((k) => `${k}:${formatGo(obj[k])}`)
        .join(' ')}]`;
    }
  }
}

/** What an output action writes: like %v, except that Helm blanks out `<no value>`. */
export function printed(v: unknown): string {
  return v === null || v === undefined ? '' : formatGo(v);
}

/** Reads `.A.B` from a value the way text/template does for maps and structs. */
export function fieldOf(value: unknown, path: string[], where: string): unknown {
  let cur = value;
  let walked = '';
  for (const key of path) {
    if (cur === null || cur === undefined) {
      throw new TemplateRuntimeError(`${where}: nil pointer evaluating interface {}.${key}${walked === '' ? '' : ` (after ${walked})`}`);
    }
    if (typeof cur !== 'object' || Array.isArray(cur)) {
      throw new TemplateRuntimeError(`${where}: can't evaluate field ${key} in type ${goType(cur)}`);
    }
    const obj = cur as Record<string | symbol, unknown>;
    if (obj[STRUCT] === true && !Object.hasOwn(obj, key)) {
      throw new TemplateRuntimeError(`${where}: can't evaluate field ${key} in a Helm built-in object`);
    }
    cur = Object.hasOwn(obj, key) ? obj[key] : null;
    walked += `.${key}`;
  }
  return cur;
}

/** Copies a value for YAML output: Go ints become plain numbers. */
export function toPlain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  }
  return v;
}
