// tryParseDuration / tryParseQuantity reject by shape before parsing (a speed-up); they must still agree
// with the throwing parsers on every input, valid or not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, tryParseDuration } from './duration.js';
import { compareQuantities, parseQuantity, tryParseQuantity } from './quantity.js';

const inputs = [
  '0', '+0', '-0', '1h30m', '1.5h', '-300ms', '1.', '.5s', '1µs', '1μs', '2us', '90s', '1m30s', '45m', '1h1', 'h',
  '1hm', '1.2.3s', '', '-', '.', '+', '1Gi', '1024Mi', '500m', '1e3', '1E-2', '2Ki', '1.5', '.5', '5.', '12e',
  '1.24.3', 'production', 'prod*', 'true', '8000-9000', '1-1024', ' 1', '1 ', '0x10', 'Infinity', 'NaN', '1k',
  '3', '-1.5Mi', '1ki', '+-1', '1e+3', '1ee3', 'ns', '1ns2', '9223372036854775807ns', '9999999999h',
];

function parses<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

describe('tryParseDuration agrees with parseDuration', () => {
  for (const input of inputs) {
    it(JSON.stringify(input), () => {
      assert.equal(tryParseDuration(input), parses(() => parseDuration(input)));
    });
  }
});

describe('tryParseQuantity agrees with parseQuantity', () => {
  for (const input of inputs) {
    it(JSON.stringify(input), () => {
      const fast = tryParseQuantity(input);
      const slow = parses(() => parseQuantity(input));
      assert.equal(fast === undefined, slow === undefined);
      if (fast !== undefined && slow !== undefined) assert.equal(compareQuantities(fast, slow), 0);
    });
  }
});
