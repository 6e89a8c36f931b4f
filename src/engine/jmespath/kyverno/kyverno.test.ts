import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../../api/json.js';
import type { FunctionContext } from '../types.js';
import { kyvernoFunctions } from './index.js';

// 2023-01-02T03:04:05Z
const ctx: FunctionContext = { now: () => Date.UTC(2023, 0, 2, 3, 4, 5), random: () => 0.42 };

function call(name: string, ...args: JsonValue[]): JsonValue {
  const fn = kyvernoFunctions.get(name);
  assert.ok(fn, `function ${name} exists`);
  return fn.call(args, ctx);
}

type Case = [name: string, args: JsonValue[], expected: JsonValue];

function table(cases: Case[]): void {
  for (const [name, args, expected] of cases) {
    it(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')}) = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(call(name, ...args), expected);
    });
  }
}

function errors(cases: [name: string, args: JsonValue[], message: string | RegExp][]): void {
  for (const [name, args, message] of cases) {
    it(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')}) fails`, () => {
      assert.throws(() => call(name, ...args), { message });
    });
  }
}

describe('registry', () => {
  it('has all 51 Kyverno functions', () => {
    assert.equal(kyvernoFunctions.size, 51);
    for (const [name, fn] of kyvernoFunctions) assert.equal(fn.name, name);
  });
});

describe('string functions', () => {
  table([
    ['compare', ['a', 'b'], -1],
    ['compare', ['b', 'a'], 1],
    ['compare', ['a', 'a'], 0],
    ['equal_fold', ['Go', 'GO'], true],
    ['equal_fold', ['Go', 'Ga'], false],
    ['replace', ['Lorem ipsum dolor sit amet', 'ipsum', 'muspi', -1], 'Lorem muspi dolor sit amet'],
    ['replace', ['oink oink oink', 'k', 'ky', 2], 'oinky oinky oink'],
    ['replace', ['abc', '', '-', -1], '-a-b-c-'],
    ['replace_all', ['Lorem ipsum dolor sit amet', 'Lorem', 'muspi'], 'muspi ipsum dolor sit amet'],
    ['to_upper', ['abc'], 'ABC'],
    ['to_lower', ['ABC'], 'abc'],
    ['trim', ['¡¡¡Hello, Gophers!!!', '!¡'], 'Hello, Gophers'],
    ['trim_prefix', ['prefix-foo', 'prefix-'], 'foo'],
    ['trim_prefix', ['foo', 'prefix-'], 'foo'],
    ['split', ['Hello Gophers', ' '], ['Hello', 'Gophers']],
    ['split', ['abc', ''], ['a', 'b', 'c']],
    ['truncate', ['Lorem ipsum dolor sit amet', 5], 'Lorem'],
    ['truncate', ['Lorem', 10], 'Lorem'],
    ['truncate', ['Lorem', -1], ''],
    ['path_canonicalize', ['/var//lib/../lib/containers'], '/var/lib/containers'],
    ['path_canonicalize', ['a/./b/../../..'], '..'],
    ['to_boolean', ['TruE'], true],
    ['to_boolean', ['FAlse'], false],
    ['pattern_match', ['prefix-*', 'prefix-test'], true],
    ['pattern_match', ['12*', 123], true],
    ['label_match', [{ app: 'prod' }, { app: 'prod', tier: 'web' }], true],
    [
      'label_match',
      [
        { app: 'prod', tier: 'db' },
        { app: 'prod', tier: 'web' },
      ],
      false,
    ],
  ]);
  errors([
    [
      'to_boolean',
      ['yes'],
      "JMESPath function 'to_boolean': lowercase argument must be 'true' or 'false' (provided: 'yes')",
    ],
  ]);
});

describe('regex functions', () => {
  table([
    ['regex_match', ['^[0-9]+$', '1234'], true],
    ['regex_match', ['^[0-9]+$', 123], true],
    ['regex_match', ['^[0-9]+$', 'abc'], false],
    ['regex_match', ['(?i)^abc$', 'ABC'], true],
    ['regex_match', ['[[:digit:]]{3}', 'a123'], true],
    ['regex_replace_all', ['([Hh]e|G)l', 'Hello, Gloria!', '${1}t'], 'Hetlo, Gtoria!'],
    ['regex_replace_all', ['(?P<major>\\d+)\\.(\\d+)', 'v1.22', '${major}-$2'], 'v1-22'],
    ['regex_replace_all', ['^(.+)-(\\d+)$', 'image-42', '$1x'], ''],
    ['regex_replace_all', ['a*', 'baaac', '-'], '-b-c-'],
    ['regex_replace_all', ['\\.', 1.5, 0], '105'],
    ['regex_replace_all_literal', ['([Hh]e|G)l', 'Hello, Gloria!', '${1}t'], '${1}tlo, ${1}toria!'],
    ['regex_replace_all_literal', ['[^a-zA-Z]', 'hello-world', ''], 'helloworld'],
  ]);
  errors([
    ['regex_match', ['(', 'x'], /^error parsing regexp: /],
    ['regex_replace_all', ['(', 'x', 'y'], /^JMESPath function 'regex_replace_all': error parsing regexp: /],
  ]);
});

describe('arithmetic functions', () => {
  table([
    ['add', [1, 2], 3],
    ['add', ['1Gi', '512Mi'], '1536Mi'],
    ['add', ['10Mi', '1Gi'], '1034Mi'],
    ['add', ['1h', '30m'], '1h30m0s'],
    ['add', ['1h', '0'], '1h0m0s'],
    ['add', ['100m', '0'], '100m'],
    ['subtract', [5, 2.5], 2.5],
    ['subtract', ['1Gi', '512Mi'], '512Mi'],
    ['subtract', ['2h', '30m'], '1h30m0s'],
    ['multiply', [2.5, 4], 10],
    ['multiply', ['10Mi', 2.5], '25Mi'],
    ['multiply', [3, '1h'], '3h0m0s'],
    ['multiply', ['250m', 2], '500m'],
    ['divide', [10, 4], 2.5],
    ['divide', ['10Gi', '1Gi'], 10],
    ['divide', ['12Mi', 2], '6Mi'],
    ['divide', ['1h', '30m'], 2],
    ['divide', ['1h', 4], '15m0s'],
    ['modulo', [10, 3], 1],
    ['modulo', [-10, 3], -1],
    ['modulo', ['10Gi', '3Gi'], '1Gi'],
    ['modulo', ['1h', '25m'], '10m0s'],
    ['sum', [[1, 2, 3]], 6],
    ['sum', [['1Gi', '512Mi', '512Mi']], '2Gi'],
    ['sum', [['1h', '30m', '15m']], '1h45m0s'],
    ['sum', [['x']], 'x'],
    ['round', [3.14159, 2], 3.14],
    ['round', [2.5, 0], 3],
    ['round', [-2.5, 0], -3],
  ]);
  errors([
    ['add', [1, '1Gi'], "JMESPath function 'add': Types mismatch"],
    ['add', [true, 1], "JMESPath function 'add': invalid operand"],
    ['add', ['abc', 1], "JMESPath function 'add': invalid operand"],
    ['sum', [[1, '1h']], "JMESPath function 'sum': Types mismatch"],
    ['divide', [10, 0], "JMESPath function 'divide': Zero divisor passed"],
    ['divide', ['1Gi', '0'], "JMESPath function 'divide': Zero divisor passed"],
    ['divide', [1, '1Gi'], "JMESPath function 'divide': Types mismatch"],
    ['modulo', [10, 0], "JMESPath function 'modulo': Zero divisor passed"],
    ['modulo', [10.5, 3], "JMESPath function 'modulo': Non-integer argument(s) passed for modulo"],
    ['sum', [[]], "JMESPath function 'sum': at least one element in the array is required"],
    ['round', [1, 1.5], "JMESPath function 'round': Non-integer argument(s) passed for round off"],
  ]);
});

describe('encoding functions', () => {
  table([
    ['base64_encode', ['hello'], 'aGVsbG8='],
    ['base64_decode', ['aGVsbG8='], 'hello'],
    ['sha256', ['hello'], '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
    ['sha1', ['hello'], 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
    ['md5', ['hello'], '5d41402abc4b2a76b9719d911017c592'],
    ['parse_json', ['{"a": [1, "b"]}'], { a: [1, 'b'] }],
    ['parse_json', ['42'], 42],
    ['parse_yaml', ['a: yes\nb: 2024-01-01\nc: [1, 2]'], { a: true, b: '2024-01-01', c: [1, 2] }],
    ['parse_yaml', ['- name: x\n  port: 80'], [{ name: 'x', port: 80 }]],
  ]);
  errors([
    ['base64_decode', ['aGVsbG8'], 'illegal base64 data at input byte 4'],
    ['base64_decode', ['a$=='], 'illegal base64 data at input byte 1'],
    ['parse_json', ['{'], /JSON/],
  ]);
});

describe('object functions', () => {
  table([
    ['lookup', [{ a: 1 }, 'a'], 1],
    ['lookup', [{ a: 1 }, 'b'], null],
    ['lookup', [[10, 20], 1], 20],
    ['lookup', [[10, 20], 5], null],
    [
      'items',
      [{ b: 2, a: 1 }, 'key', 'value'],
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ],
    ],
    [
      'items',
      [['x', 'y'], 'index', 'item'],
      [
        { index: 0, item: 'x' },
        { index: 1, item: 'y' },
      ],
    ],
    [
      'object_from_lists',
      [
        ['a', 'b'],
        [1, 2],
      ],
      { a: 1, b: 2 },
    ],
    ['object_from_lists', [['a', 'b'], [1]], { a: 1, b: null }],
  ]);
  errors([
    ['lookup', [[1], 0.5], /argument #2/],
    ['lookup', [{ a: 1 }, 1], /argument #2 is not of type String/],
  ]);
});

describe('time functions', () => {
  table([
    ['time_now', [], '2023-01-02T03:04:05Z'],
    ['time_now_utc', [], '2023-01-02T03:04:05Z'],
    ['time_since', ['', '2023-01-01T00:00:00Z', '2023-01-01T01:30:00Z'], '1h30m0s'],
    ['time_since', ['', '2023-01-01T00:00:00Z', ''], '27h4m5s'],
    ['time_since', ['2006-01-02', '2023-01-01', '2023-01-03'], '48h0m0s'],
    ['time_add', ['2023-01-01T00:00:00Z', '3h'], '2023-01-01T03:00:00Z'],
    ['time_add', ['2023-01-01T00:00:00+02:00', '-30m'], '2022-12-31T23:30:00+02:00'],
    ['time_parse', ['Mon Jan _2 15:04:05 MST 2006', 'Thu Jan 12 12:00:00 UTC 2023'], '2023-01-12T12:00:00Z'],
    ['time_parse', ['1702691171', '1702691171'], '2023-12-16T01:46:11Z'],
    ['time_parse', ['2006-01-02T15:04:05Z07:00', '2021-01-02T15:04:05-07:00'], '2021-01-02T15:04:05-07:00'],
    ['time_parse', ['02 Jan 06 15:04 -0700', '03 Feb 21 09:30 +0100'], '2021-02-03T09:30:00+01:00'],
    ['time_parse', ['2006-01-02 3:04PM', '2023-05-06 1:07PM'], '2023-05-06T13:07:00Z'],
    ['time_utc', ['2021-01-02T18:04:05+05:30'], '2021-01-02T12:34:05Z'],
    ['time_diff', ['2021-01-01T00:00:00Z', '2021-01-01T00:00:01.5Z'], '1.5s'],
    ['time_diff', ['2021-01-02T00:00:00Z', '2021-01-01T00:00:00Z'], '-24h0m0s'],
    ['time_before', ['2021-01-01T00:00:00Z', '2021-01-02T00:00:00Z'], true],
    ['time_after', ['2021-01-01T00:00:00Z', '2021-01-02T00:00:00Z'], false],
    ['time_between', ['2021-01-02T00:00:00Z', '2021-01-01T00:00:00Z', '2021-01-03T00:00:00Z'], true],
    ['time_between', ['2021-01-01T00:00:00Z', '2021-01-01T00:00:00Z', '2021-01-03T00:00:00Z'], false],
    ['time_truncate', ['2023-02-21T15:39:13Z', '1h'], '2023-02-21T15:00:00Z'],
    ['time_truncate', ['2023-02-21T15:39:13Z', '24h'], '2023-02-21T00:00:00Z'],
    ['time_to_cron', ['2023-02-02T15:30:00Z'], '30 15 2 2 4'],
  ]);
  errors([
    ['time_parse', ['2006-01-02', 'bad'], 'parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006"'],
    ['time_add', ['2023-01-01T00:00:00Z', '3x'], 'time: unknown unit "x" in duration "3x"'],
    ['time_utc', ['2023-02-30T00:00:00Z'], /day out of range/],
  ]);
});

describe('misc functions', () => {
  table([
    ['semver_compare', ['1.1.1', '1.1.1'], true],
    ['semver_compare', ['4.1.3', '>=4.1.x'], true],
    ['semver_compare', ['4.1.3', '!4.x.x'], false],
    ['semver_compare', ['1.1.1', '<1.0.0 || >=1.1.0'], true],
    ['semver_compare', ['not-a-version', '<1.0.0'], true],
    ['image_normalize', ['nginx'], 'docker.io/nginx:latest'],
    ['image_normalize', ['library/nginx:1.25'], 'docker.io/library/nginx:1.25'],
    ['image_normalize', ['ghcr.io/org/app:1.0'], 'ghcr.io/org/app:1.0'],
    ['image_normalize', ['localhost:5000/app'], 'localhost:5000/app:latest'],
    ['image_normalize', [`nginx:1.2@sha256:${'a'.repeat(64)}`], `docker.io/nginx@sha256:${'a'.repeat(64)}`],
    ['is_external_url', ['https://kyverno.io/docs'], true],
    ['is_external_url', ['http://10.0.0.1:8080'], false],
    ['is_external_url', ['http://localhost'], false],
    ['is_external_url', ['http://svc.ns.svc.cluster.local'], false],
    ['is_external_url', ['not a url'], false],
  ]);
  errors([['image_normalize', ['NGINX'], /repository name must be lowercase/]]);

  it('random draws from ctx.random and matches the pattern', () => {
    let seed = 1;
    const seeded: FunctionContext = {
      now: () => 0,
      random: () => {
        seed = (seed * 16807) % 2147483647;
        return (seed - 1) / 2147483646;
      },
    };
    const fn = kyvernoFunctions.get('random');
    assert.ok(fn);
    const first = fn.call(['[a-z0-9]{6}'], seeded);
    assert.equal(typeof first, 'string');
    assert.match(first as string, /^[a-z0-9]{6}$/);
    seed = 1;
    assert.equal(fn.call(['[a-z0-9]{6}'], seeded), first);
    assert.throws(() => fn.call([''], seeded), { message: 'no pattern provided' });
  });
});
