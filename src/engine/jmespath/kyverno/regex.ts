// regex_match, regex_replace_all and regex_replace_all_literal. Sources and replacements may be
// numbers, which Kyverno prints as float32 digits before matching.
import type { JsonValue } from '../../../api/json.js';
import type { FunctionSpec } from '../types.js';
import { compileGoRegexp, goReplaceAll, GoRegexpError } from './go-regexp.js';
import { functionError, ifaceToString, plainError, spec, str, stringAt, strOrNum } from './helpers.js';

function textArg(name: string, args: JsonValue[], index: number): string {
  const text = ifaceToString(args[index] ?? null);
  if (text === undefined)
    throw functionError(name, `${index + 1} argument is expected of String or Real type`);
  return text;
}

function replaceAll(name: string, literal: boolean): FunctionSpec {
  return spec(name, [str, strOrNum, strOrNum], (a) => {
    const src = textArg(name, a, 1);
    const replacement = textArg(name, a, 2);
    let re: RegExp;
    try {
      re = compileGoRegexp(stringAt(a, 0));
    } catch (e) {
      throw functionError(name, e instanceof Error ? e.message : String(e));
    }
    return goReplaceAll(re, src, replacement, !literal);
  });
}

export const regexFunctions: FunctionSpec[] = [
  replaceAll('regex_replace_all', false),
  replaceAll('regex_replace_all_literal', true),
  spec('regex_match', [str, strOrNum], (a) => {
    const src = textArg('regex_match', a, 1);
    try {
      return compileGoRegexp(stringAt(a, 0)).test(src);
    } catch (e) {
      // regexp.Match's own error, without Kyverno's prefix.
      throw plainError(e instanceof GoRegexpError ? e.message : String(e));
    }
  }),
];
