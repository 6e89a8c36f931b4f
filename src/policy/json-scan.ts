// Finds {{ }} variables and validation anchors inside free-form JSON, with the path of each hit.
import type { JsonValue } from '../api/json.js';
import { child, index } from './problems.js';

// An unescaped `{{ ... }}`; a backslash before the braces makes them literal, as in Kyverno.
const variable = /(^|[^\\])\{\{(?:\{[^{}]*\}|[^{}])*\}\}/;

export function hasVariable(s: string): boolean {
  return variable.test(s);
}

/** Paths of every string (and object key) in `value` that contains a variable. */
export function pathsWithVariables(value: JsonValue | undefined, path: string): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue | undefined, p: string): void => {
    if (typeof v === 'string') {
      if (hasVariable(v)) out.push(p);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, index(p, i)));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (hasVariable(k)) out.push(child(p, k));
        else walk(item, child(p, k));
      }
    }
  };
  walk(value, path);
  return out;
}

// (key), +(key), =(key), ^(key), X(key), <(key): the anchors of validate/mutate patterns.
const anchor = /^[+=^X<]?\(.+\)$/;

export function isAnchor(key: string): boolean {
  return anchor.test(key);
}

/** Paths of every object key in `value` written as an anchor. */
export function pathsWithAnchors(value: JsonValue | undefined, path: string): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue | undefined, p: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, index(p, i)));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (isAnchor(k)) out.push(child(p, k));
        walk(item, child(p, k));
      }
    }
  };
  walk(value, path);
  return out;
}
