// Kyverno's dialect (kyverno/go-jmespath): a missing object key is an error, swallowed where
// Kyverno's policies rely on defaults; function calls chained as sub-expressions; legacy
// backtick literals; custom functions overriding standard ones; compile cache; immutability.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../api/json.js';
import type { FunctionSpec } from './index.js';
import { compile, JmesPathError, search, standardFunctions } from './index.js';
import { ctx, fails, ok, runTable } from './table.test-support.js';

const request: JsonValue = {
  request: {
    operation: 'CREATE',
    object: {
      metadata: { name: 'web', labels: { app: 'nginx' }, annotations: null },
      spec: {
        containers: [
          {
            name: 'a',
            image: 'nginx:1',
            securityContext: { privileged: true, capabilities: { drop: ['all'] } },
          },
          { name: 'b', image: 'busybox' },
        ],
        initContainers: [{ name: 'init', image: 'alpine' }],
        hard: { 'limits.memory': '6Mi', 'requests-cpu': '1' },
      },
    },
  },
};

const toUpper: FunctionSpec = {
  name: 'to_upper',
  args: [{ types: ['string'] }],
  call: (a) => (a[0] as string).toUpperCase(),
};
const kyvernoLike = new Map<string, FunctionSpec>([
  ['to_upper', toUpper],
  ['sum', { name: 'sum', args: [{ types: ['array'] }], call: () => 'overridden' }],
]);

describe('kyverno: missing keys raise not-found', () => {
  runTable(request, [
    ['request.object.missing', fails('not-found')],
    ['request.object.metadata.labels.team', fails('not-found')],
    ['request.object.spec.containers[0].securityContext.runAsUser', fails('not-found')],
    ['request.object.nope.deeper.still', fails('not-found')],
    ['request.object.nope[0]', fails('not-found')],
    ['request.object.nope | length(@)', fails('not-found')],
    ['request.object.metadata.annotations.foo', ok(null)],
    ['request.object.metadata.name.foo', ok(null)],
    ['request.object.spec.containers.name', ok(null)],
    ['constructor', fails('not-found')],
    ['request.object.metadata.toString', fails('not-found')],
  ]);
  it('names the missing key like go-jmespath', () => {
    assert.throws(
      () => search('request.object.metadata.labels.team.x', request, { ctx }),
      (err: unknown) => err instanceof JmesPathError && err.message === 'Unknown key "team" in path',
    );
  });
});

describe('kyverno: where not-found is swallowed', () => {
  runTable(request, [
    ["request.object.metadata.labels.team || 'default'", ok('default')],
    ['request.object.nope.deeper || request.object.metadata.name', ok('web')],
    ["request.object.metadata.labels.team && 'x'", ok(null)],
    ['!(request.object.metadata.labels.team)', ok(true)],
    ['request.object.metadata.labels.team == null', ok(true)],
    ["request.object.metadata.labels.team != 'x'", ok(true)],
    ['request.object.spec.replicas > `1`', ok(null)],
    ['to_string(request.object.metadata.labels.team)', ok('null')],
    ['length(request.object.nope)', fails('invalid-type')],
    ['not_null(request.object.nope, `"fallback"`)', ok('fallback')],
    ['request.object.spec.containers[?securityContext.privileged].name', ok(['a'])],
    ['request.object.spec.containers[?!securityContext].name', ok(['b'])],
    ["request.object.spec.containers[?image == 'busybox'].securityContext", ok([])],
    ['request.object.spec.containers[].securityContext.privileged', ok([true])],
    ['request.object.spec.containers[*].securityContext.capabilities.drop[]', ok(['all'])],
    ['request.object.spec.[ephemeralContainers, initContainers, containers][].name', ok(['init', 'a', 'b'])],
    [
      'request.object.spec.containers[].{n: name, p: securityContext.privileged}',
      ok([
        { n: 'a', p: true },
        { n: 'b', p: null },
      ]),
    ],
    ['request.object.spec.missing[]', ok(null)],
    ['request.object.spec.missing[?x]', ok(null)],
    ['request.object.spec.missing.*', ok(null)],
    ['request.object.spec.containers[1].securityContext.capabilities.drop[] || `[]`', ok([])],
    ['map(&securityContext.privileged, request.object.spec.containers)', ok([true, null])],
  ]);
});

describe('kyverno: function calls as sub-expressions and custom functions', () => {
  runTable(
    request,
    [
      ['request.object.spec.containers[].name.to_upper(@)', ok(['A', 'B'])],
      ['request.object.spec.containers[].to_upper(name)', ok(['A', 'B'])],
      ['request.object.metadata.name.to_upper(@)', ok('WEB')],
      ['request.object.metadata.to_upper(name)', ok('WEB')],
      ["to_upper(request.object.metadata.labels.app) == 'NGINX'", ok(true)],
      ['sum(`[1, 2]`)', ok('overridden')],
      ['length(request.object.spec.containers)', ok(2)],
      ['request.object.spec.hard."limits.memory"', ok('6Mi')],
      ['request.object.spec.hard."requests-cpu"', ok('1')],
      ["request.object.spec.containers[?name == 'a'] | [0].image", ok('nginx:1')],
      ["join(',', request.object.spec.containers[].name)", ok('a,b')],
      ['to_upper(`1`)', fails('invalid-type')],
      ['to_lower(`"A"`)', fails('unknown-function')],
    ],
    kyvernoLike,
  );
  it('keeps the standard sum when no override is given', () => {
    assert.equal(search('sum(`[1, 2]`)', null, { ctx }), 3);
    assert.equal(standardFunctions.get('sum')?.name, 'sum');
  });
});

describe('kyverno: legacy backtick literals', () => {
  runTable({ items: [{ name: 'foo' }, { name: 'bar' }] }, [
    ['`foo`', ok('foo')],
    ['`foo bar`', ok('foo bar')],
    ['items[?name == `foo`].name', ok(['foo'])],
    ['`6`', ok(6)],
    ['`"6"`', ok('6')],
    ['`{"a": 1}`', ok({ a: 1 })],
    ['`[1, "two"]`', ok([1, 'two'])],
  ]);
});

describe('compile', () => {
  it('caches compiled expressions', () => {
    assert.equal(compile('a.b.c'), compile('a.b.c'));
    assert.equal(compile('a.b.c').evaluate({ a: { b: { c: 7 } } }, { ctx }), 7);
  });
  it('reports syntax errors with their position', () => {
    assert.throws(
      () => compile('foo[?bar=='),
      (err: unknown) =>
        err instanceof JmesPathError && err.kind === 'syntax' && /position 10/.test(err.message),
    );
  });
  it('rejects an expression reference outside a function argument', () => {
    assert.throws(
      () => search('&foo', {}, { ctx }),
      (err: unknown) => err instanceof JmesPathError && err.kind === 'invalid-type',
    );
  });
  it('never mutates its input', () => {
    const deepFreeze = (v: JsonValue): JsonValue => {
      if (typeof v === 'object' && v !== null) {
        for (const child of Object.values(v)) deepFreeze(child);
        Object.freeze(v);
      }
      return v;
    };
    const data = deepFreeze({ n: [3, 1, 2], o: { b: 1, a: 2 }, p: [{ k: 2 }, { k: 1 }] });
    const options = { ctx };
    assert.deepEqual(search('sort(n)', data, options), [1, 2, 3]);
    assert.deepEqual(search('reverse(n)', data, options), [2, 1, 3]);
    assert.deepEqual(search('sort_by(p, &k)[].k', data, options), [1, 2]);
    assert.deepEqual(search('merge(o, `{"c": 3}`)', data, options), { b: 1, a: 2, c: 3 });
    assert.deepEqual(data, { n: [3, 1, 2], o: { b: 1, a: 2 }, p: [{ k: 2 }, { k: 1 }] });
  });
  it('keeps object key order and stores "__proto__" as a plain key', () => {
    const result = search('{z: a, "__proto__": b, y: a}', { a: 1, b: 2 }, { ctx });
    assert.deepEqual(Object.keys(result as object), ['z', '__proto__', 'y']);
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
  });
  it('evaluates a cached expression quickly', () => {
    const expression = "request.object.spec.containers[?name == 'a'].image | [0] || 'none'";
    const start = performance.now();
    for (let i = 0; i < 50_000; i++) search(expression, request, { ctx });
    assert.ok(performance.now() - start < 2000, ' 50k evaluations should take well under 2s');
  });
});
