// The string forms of label and field selectors that list and watch take, parsed once and matched
// many times. Grammar as in apimachinery: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
// `a`, `!a`, `a>1`, `a<1`, comma-separated (AND).
import type { LabelSelector } from '../api/kube.js';

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: 'gt' | 'lt'; value: number };

export class SelectorParseError extends Error {}

/** Splits at commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new SelectorParseError(`unable to parse requirement: invalid label key "${key}"`);
  return key;
}
function checkValue(v: string): string {
  if (!VALUE.test(v))
    throw new SelectorParseError(`unable to parse requirement: invalid label value: "${v}"`);
  return v;
}

function parseTerm(term: string): LabelRequirement {
  let m = /^!\s*(\S+)$/.exec(term);
  if (m?.[1] !== undefined) return { key: checkKey(m[1]), op: '!' };
  m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
    const values = m[3].split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(m[1]), op: m[2] === 'in' ? 'in' : 'notin', values };
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(term);
  if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
    const key = checkKey(m[1]);
    if (m[2] === '<' || m[2] === '>') {
      const n = Number(m[3]);
      if (!/^-?\d+$/.test(m[3]))
        throw new SelectorParseError(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      return { key, op: m[2] === '>' ? 'gt' : 'lt', value: n };
    }
    return { key, op: m[2] === '!=' ? 'notin' : 'in', values: [checkValue(m[3])] };
  }
  if (/^\S+$/.test(term)) return { key: checkKey(term), op: 'exists' };
  throw new SelectorParseError(`unable to parse requirement: found '${term}', expected: identifier`);
}

/** @throws SelectorParseError */
export function parseLabelSelector(s: string | undefined): LabelRequirement[] {
  if (s === undefined) return [];
  return splitTerms(s).map(parseTerm);
}

export function matchesLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  for (const r of reqs) {
    const present = Object.prototype.hasOwnProperty.call(have, r.key);
    const v = have[r.key] ?? '';
    switch (r.op) {
      case 'in':
        if (!present || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (present && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!present) return false;
        break;
      case '!':
        if (present) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!present || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        if (r.op === 'gt' ? !(n > r.value) : !(n < r.value)) return false;
        break;
      }
    }
  }
  return true;
}

/** The string form of a metav1.LabelSelector, for list/watch calls. */
export function formatLabelSelector(sel: LabelSelector): string {
  const terms: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) terms.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') terms.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else terms.push(`!${e.key}`);
  }
  return terms.join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** @throws SelectorParseError */
export function parseFieldSelector(s: string | undefined): FieldRequirement[] {
  if (s === undefined) return [];
  return splitTerms(s).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
      throw new SelectorParseError(`invalid selector: '${term}'; can't understand '${term}'`);
    }
    return { field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
  });
}

/** `fields` maps each supported field path to the object's value for it. */
export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
}
