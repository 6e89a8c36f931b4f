import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationSeconds, formatDuration, parseDuration } from './duration.js';
import { formatGoFloat, formatGoFloat32Fixed, parseGoFloat, parseGoInt } from './go-number.js';
import {
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  divideQuantities,
  formatQuantity,
  multiplyQuantities,
  parseQuantity,
  quantityToNumber,
  subtractQuantities,
} from './quantity.js';
import { compareSemver, isStrictSemver, parseSemverRange } from './semver.js';

describe('quantities', () => {
  const canonical: [string, string][] = [
    ['100m', '100m'],
    ['1Gi', '1Gi'],
    ['1e3', '1e3'],
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['1024Ki', '1Mi'],
    ['0', '0'],
    ['0Gi', '0'],
    ['-1.5', '-1500m'],
    ['1000', '1k'],
    ['0.5Ki', '512'],
    ['2000Mi', '2000Mi'],
    ['1.0000000001', '1000000001n'],
    ['1e-12', '1e-9'],
    ['.5', '500m'],
    ['12e-3', '12e-3'],
    ['1E', '1E'],
  ];
  for (const [input, expected] of canonical) {
    it(`${input} -> ${expected}`, () => assert.equal(canonicalQuantity(input), expected));
  }

  it('rejects what Kubernetes rejects', () => {
    for (const bad of ['', 'abc', '1 Gi', '1K', 'Gi1', '1e', '1.5.5']) {
      assert.throws(() => parseQuantity(bad), /quantit/, bad);
    }
  });

  it('compares across scales and formats', () => {
    assert.equal(compareQuantities(parseQuantity('1Gi'), parseQuantity('1000Mi')), 1);
    assert.equal(compareQuantities(parseQuantity('1k'), parseQuantity('1000')), 0);
    assert.equal(compareQuantities(parseQuantity('100m'), parseQuantity('0.1')), 0);
    assert.equal(compareQuantities(parseQuantity('500Mi'), parseQuantity('1Gi')), -1);
  });

  it('does arithmetic exactly', () => {
    assert.equal(formatQuantity(addQuantities(parseQuantity('1Gi'), parseQuantity('512Mi'))), '1536Mi');
    assert.equal(formatQuantity(subtractQuantities(parseQuantity('1'), parseQuantity('250m'))), '750m');
    assert.equal(formatQuantity(multiplyQuantities(parseQuantity('100m'), parseQuantity('1.5'))), '150m');
    assert.equal(formatQuantity(divideQuantities(parseQuantity('10'), parseQuantity('3'))), '3');
    assert.equal(formatQuantity(divideQuantities(parseQuantity('1.0'), parseQuantity('3'))), '300m');
    assert.equal(quantityToNumber(parseQuantity('1.5Ki')), 1536);
  });
});

describe('durations', () => {
  const cases: [string, string][] = [
    ['1h30m', '1h30m0s'],
    ['300ms', '300ms'],
    ['1.5h', '1h30m0s'],
    ['0', '0s'],
    ['-1.5s', '-1.5s'],
    ['1us', '1µs'],
    ['1μs', '1µs'],
    ['90m', '1h30m0s'],
    ['1.001s', '1.001s'],
    ['2h45m10.5s', '2h45m10.5s'],
    ['100ns', '100ns'],
    ['1.5ms', '1.5ms'],
    ['+5m', '5m0s'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => assert.equal(formatDuration(parseDuration(input)), expected));
  }

  it('reports errors with Go wording', () => {
    assert.throws(() => parseDuration('5'), { message: 'time: missing unit in duration "5"' });
    assert.throws(() => parseDuration('1x'), { message: 'time: unknown unit "x" in duration "1x"' });
    assert.throws(() => parseDuration(''), { message: 'time: invalid duration ""' });
    assert.throws(() => parseDuration('abc'), { message: 'time: invalid duration "abc"' });
  });

  it('converts to seconds', () => {
    assert.equal(durationSeconds(parseDuration('1m30s')), 90);
    assert.equal(durationSeconds(parseDuration('1500ms')), 1.5);
  });
});

describe('Go number text', () => {
  it('formats like fmt %v', () => {
    const cases: [number, string][] = [
      [1, '1'],
      [0.5, '0.5'],
      [1e6, '1e+06'],
      [123456, '123456'],
      [1234567, '1.234567e+06'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [-2.5, '-2.5'],
    ];
    for (const [v, text] of cases) assert.equal(formatGoFloat(v), text);
  });

  it("formats like strconv.FormatFloat(f, 'f', -1, 32)", () => {
    assert.equal(formatGoFloat32Fixed(1.1), '1.1');
    assert.equal(formatGoFloat32Fixed(123456789), '123456790');
    assert.equal(formatGoFloat32Fixed(42), '42');
  });

  it('parses like strconv', () => {
    assert.equal(parseGoFloat('1e3'), 1000);
    assert.equal(parseGoFloat('.5'), 0.5);
    assert.equal(parseGoFloat('1Gi'), undefined);
    assert.equal(parseGoFloat('Inf'), Infinity);
    assert.equal(parseGoInt('-42'), -42n);
    assert.equal(parseGoInt('1.0'), undefined);
  });
});

describe('semver', () => {
  it('accepts only strict versions', () => {
    assert.equal(isStrictSemver('1.2.3'), true);
    assert.equal(isStrictSemver('1.2.3-rc.1+build.5'), true);
    assert.equal(isStrictSemver('v1.2.3'), false);
    assert.equal(isStrictSemver('1.2'), false);
    assert.equal(isStrictSemver('01.2.3'), false);
  });

  it('orders versions', () => {
    assert.equal(compareSemver('1.10.0', '1.9.0'), 1);
    assert.equal(compareSemver('1.0.0-alpha', '1.0.0'), -1);
    assert.equal(compareSemver('1.0.0+a', '1.0.0+b'), 0);
  });

  it('evaluates blang ranges', () => {
    const cases: [string, string, boolean][] = [
      ['1.1.1', '1.1.1', true],
      ['1.1.1', '>1.0.0', true],
      ['1.1.1', '>= 1.0.0 <1.1.0', false],
      ['4.1.3', '>=4.1.x', true],
      ['4.1.3', '!4.x.x', false],
      ['1.5.0', '<1.0.0 || >=1.4.0', true],
      ['2.0.0', '1.x', false],
      ['1.9.9', '1.x', true],
      ['1.2.3', '!=1.2.3', false],
    ];
    for (const [version, range, expected] of cases) {
      assert.equal(parseSemverRange(range)(version), expected, `${version} in ${range}`);
    }
    assert.throws(() => parseSemverRange('>=abc'));
  });
});
