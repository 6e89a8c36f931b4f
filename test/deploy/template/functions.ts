// The Go template builtins and Sprig/Helm functions the chart may use, with their Go semantics
// (argument order, type rules, error cases). `include`, `and` and `or` need the evaluator and live
// there; everything else is a plain function of its evaluated arguments.
import { stringify } from 'yaml';
import { TemplateRuntimeError, formatGo, goType, isTruthy, kindOf, toPlain } from './values.js';

export type TemplateFunction = (args: unknown[]) => unknown;

function str(v: unknown, fn: string): string {
  if (typeof v !== 'string') throw new TemplateRuntimeError(`${fn}: expected a string, got ${goType(v)}`);
  return v;
}

function toInt(v: unknown): bigint {
  switch (kindOf(v)) {
    case 'int':
      return v as bigint;
    case 'float':
      return BigInt(Math.trunc(v as number));
    case 'string':
      return /^-?\d+$/.test(v as string) ? BigInt(v as string) : 0n;
    case 'bool':
      return v === true ? 1n : 0n;
    default:
      return 0n;
  }
}

function arity(fn: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new TemplateRuntimeError(`wrong number of args for ${fn}: want ${min}${max === min ? '' : `..${max}`} got ${args.length}`);
  }
}

/** Go's comparison rules: both basic and of the same kind (nil compares unequal to everything else). */
function comparable(fn: string, a: unknown, b: unknown): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'slice' || ka === 'map' || kb === 'slice' || kb === 'map') {
    throw new TemplateRuntimeError(`error calling ${fn}: invalid type for comparison`);
  }
  if (ka !== kb && ka !== 'nil' && kb !== 'nil') {
    throw new TemplateRuntimeError(`error calling ${fn}: incompatible types for comparison (${goType(a)} and ${goType(b)})`);
  }
}

function order(fn: string, a: unknown, b: unknown): number {
  comparable(fn, a, b);
  const k = kindOf(a);
  if (k === 'nil' || kindOf(b) === 'nil' || k === 'bool') {
    throw new TemplateRuntimeError(`error calling ${fn}: invalid type for comparison`);
  }
  const x = a as string | number | bigint;
  const y = b as string | number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

function equal(fn: string, a: unknown, b: unknown): boolean {
  comparable(fn, a, b);
  return (a ?? null) === (b ?? null);
}

/** fmt.Sprintf for the verbs a chart needs: %s %d %v %q %%. */
export function sprintf(format: string, args: unknown[]): string {
  let next = 0;
  const out = format.replace(/%([%sdvq])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const v = args[next++];
    const k = kindOf(v);
    const bad = `%!${verb}(${goType(v)}=${formatGo(v)})`;
    if (verb === 'v') return formatGo(v);
    if (verb === 's') return k === 'string' ? (v as string) : k === 'slice' || k === 'map' ? formatGo(v) : bad;
    if (verb === 'd') return k === 'int' ? formatGo(v) : bad;
    return k === 'string' ? JSON.stringify(v) : bad;
  });
  if (next < args.length) {
    return `${out}%!(EXTRA ${args.slice(next).map((v) => `${goType(v)}=${formatGo(v)}`).join(', ')})`;
  }
  return out;
}

function indentLines(n: unknown, s: unknown, fn: string): string {
  const pad = ' '.repeat(Number(toInt(n)));
  return pad + str(s, fn).replaceAll('\n', `\n${pad}`);
}

export const functions: Record<string, TemplateFunction> = {
  default: (a) => {
    arity('default', a, 1, 2);
    return a.length === 2 && isTruthy(a[1]) ? a[1] : a[0];
  },
  required: (a) => {
    arity('required', a, 2);
    if (a[1] === null || a[1] === undefined || a[1] === '') throw new TemplateRuntimeError(String(a[0]));
    return a[1];
  },
  fail: (a) => {
    throw new TemplateRuntimeError(String(a[0]));
  },
  empty: (a) => !isTruthy(a[0]),
  not: (a) => {
    arity('not', a, 1);
    return !isTruthy(a[0]);
  },
  eq: (a) => {
    if (a.length < 2) throw new TemplateRuntimeError('missing argument for comparison');
    return a.slice(1).some((b) => equal('eq', a[0], b));
  },
  ne: (a) => {
    arity('ne', a, 2);
    return !equal('ne', a[0], a[1]);
  },
  lt: (a) => (arity('lt', a, 2), order('lt', a[0], a[1]) < 0),
  le: (a) => (arity('le', a, 2), order('le', a[0], a[1]) <= 0),
  gt: (a) => (arity('gt', a, 2), order('gt', a[0], a[1]) > 0),
  ge: (a) => (arity('ge', a, 2), order('ge', a[0], a[1]) >= 0),
  int: (a) => (arity('int', a, 1), toInt(a[0])),
  toString: (a: unknown[]) => (arity('toString', a, 1), typeof a[0] === 'string' ? a[0] : formatGo(a[0])),
  printf: (a) => sprintf(str(a[0], 'printf'), a.slice(1)),
  quote: (a) => a.filter((v) => v !== null && v !== undefined).map((v) => JSON.stringify(formatGo(v))).join(' '),
  trunc: (a) => {
    arity('trunc', a, 2);
    const n = Number(toInt(a[0]));
    const s = str(a[1], 'trunc');
    return n >= 0 ? s.slice(0, n) : s.slice(Math.max(0, s.length + n));
  },
  trimSuffix: (a) => {
    const s = str(a[1], 'trimSuffix');
    const suffix = str(a[0], 'trimSuffix');
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
  },
  replace: (a) => (arity('replace', a, 3), str(a[2], 'replace').replaceAll(str(a[0], 'replace'), str(a[1], 'replace'))),
  contains: (a) => (arity('contains', a, 2), str(a[1], 'contains').includes(str(a[0], 'contains'))),
  lower: (a) => str(a[0], 'lower').toLowerCase(),
  join: (a) => {
    arity('join', a, 2);
    const list = a[1];
    if (!Array.isArray(list)) throw new TemplateRuntimeError(`join: expected a list, got ${goType(list)}`);
    return list.map((v) => (typeof v === 'string' ? v : formatGo(v))).join(str(a[0], 'join'));
  },
  list: (a) => [...a],
  hasKey: (a) => {
    arity('hasKey', a, 2);
    const m = a[0];
    return kindOf(m) === 'map' && Object.hasOwn(m as object, str(a[1], 'hasKey'));
  },
  toYaml: (a) => {
    arity('toYaml', a, 1);
    const text = stringify(toPlain(a[0] ?? null), { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
    return text.replace(/\n$/, '');
  },
  indent: (a) => (arity('indent', a, 2), indentLines(a[0], a[1], 'indent')),
  nindent: (a) => (arity('nindent', a, 2), `\n${indentLines(a[0], a[1], 'nindent')}`),
};

/** Names the parser accepts: the plain functions plus those the evaluator implements itself. */
export const functionNames: ReadonlySet<string> = new Set([...Object.keys(functions), 'include', 'and', 'or']);
