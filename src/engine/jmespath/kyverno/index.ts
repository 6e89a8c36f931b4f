// Kyverno's custom JMESPath functions (pkg/engine/jmespath), for search(..., { functions }).
// `sum` here replaces the standard one: Kyverno's also sums quantities and durations.
import type { FunctionSpec } from '../types.js';
import { arithmeticFunctions } from './arithmetic.js';
import { encodingFunctions } from './encoding.js';
import { miscFunctions } from './misc.js';
import { objectFunctions } from './objects.js';
import { regexFunctions } from './regex.js';
import { stringFunctions } from './strings.js';
import { timeFunctions } from './time.js';

const all: FunctionSpec[] = [
  ...stringFunctions,
  ...regexFunctions,
  ...arithmeticFunctions,
  ...encodingFunctions,
  ...objectFunctions,
  ...timeFunctions,
  ...miscFunctions,
];

export const kyvernoFunctions: ReadonlyMap<string, FunctionSpec> = new Map(all.map((f) => [f.name, f]));
