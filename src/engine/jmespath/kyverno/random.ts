// random(pattern): a string matching a regular expression, drawn with FunctionContext.random()
// so that evaluation stays deterministic under a seeded context.
import randexpModule from 'randexp';
import type { FunctionContext } from '../types.js';
import { compileGoRegexp } from './go-regexp.js';
import { plainError } from './helpers.js';

type RandExpClass = typeof randexpModule.default;

// randexp's CommonJS build replaces module.exports with the class, while its typings describe an
// ES module with a default export; accept either shape.
const RandExp: RandExpClass =
  (randexpModule as unknown as { default?: RandExpClass }).default ??
  (randexpModule as unknown as RandExpClass);

/** goregen caps unbounded repeats; randexp's default of 100 extra is close enough for policies. */
const maxUnboundedRepeat = 10;

export function randomMatching(pattern: string, ctx: FunctionContext): string {
  if (pattern === '') throw plainError('no pattern provided');
  let re: RegExp;
  try {
    re = compileGoRegexp(pattern);
  } catch (e) {
    throw plainError(e instanceof Error ? e.message : String(e));
  }
  const generator = new RandExp(re);
  generator.max = maxUnboundedRepeat;
  generator.randInt = (a: number, b: number): number => a + Math.floor(ctx.random() * (b - a + 1));
  return generator.gen();
}
