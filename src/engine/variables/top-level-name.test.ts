// A variable that is one top-level name (`{{ element }}`) is read straight from the context root when
// the name is there; everything else (a missing name, a lenient view, the DELETE rewrite, object
// values) must come out exactly as through the JMESPath evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { compile } from '../jmespath/index.js';
import { kyvernoFunctions } from '../jmespath/kyverno/index.js';
import { EvalContext } from './context.js';
import { compileDoc, renderDoc } from './doc-template.js';
import { compileString, substituteString } from './string-template.js';

const fns = { now: () => 0, random: () => 0.5 };
const root = (): JsonObject => ({
  request: { operation: 'DELETE', object: { metadata: { name: 'new' } }, oldObject: { metadata: { name: 'old' } } },
  element: 'dev',
  elementIndex: 0,
  labels: { team: 'blue' },
  nothing: null,
  'request.object': 'quoted-new',
  'request.oldObject': 'quoted-old',
});

class Lenient extends EvalContext {
  override evaluate(compiled: Parameters<EvalContext['evaluate']>[0]): JsonValue {
    try {
      return super.evaluate(compiled);
    } catch {
      return '';
    }
  }
}

test('single fields of the root name their key; other expressions do not', () => {
  const table: [string, string | undefined][] = [
    ['element', 'element'],
    ['"request.object"', 'request.object'],
    ['request', 'request'],
    ['request.object', undefined],
    ['to_upper(element)', undefined],
    ['element || `x`', undefined],
    ['@', undefined],
  ];
  for (const [expression, name] of table) assert.equal(compile(expression).topLevelName, name, expression);
});

test('readName answers what evaluating the field answers, and declines for a changed evaluation', () => {
  const ctx = new EvalContext(root(), fns, kyvernoFunctions);
  for (const name of ['element', 'elementIndex', 'labels', 'nothing']) {
    assert.deepEqual(ctx.readName(name), ctx.evaluate(compile(name)), name);
  }
  assert.equal(ctx.readName('missing'), undefined);
  assert.equal(ctx.readName('toString'), undefined);
  assert.equal(new Lenient(root(), fns, kyvernoFunctions).readName('element'), undefined);
});

test('templates of one name render as JMESPath evaluates them, on every operation', () => {
  const table: [string, string, JsonValue][] = [
    ['{{ element }}', 'CREATE', 'dev'],
    ['{{ elementIndex }}', 'CREATE', 0],
    ['{{ nothing }}', 'CREATE', null],
    ['env-{{ elementIndex }}-{{ element }}', 'CREATE', 'env-0-dev'],
    ['{{ element }}', 'DELETE', 'dev'],
    // The DELETE rewrite applies to the text, quoted names included.
    ['{{ "request.object" }}', 'CREATE', 'quoted-new'],
    ['{{ "request.object" }}', 'DELETE', 'quoted-old'],
  ];
  for (const [source, operation, want] of table) {
    const ctx = new EvalContext(root(), fns, kyvernoFunctions);
    assert.deepEqual(substituteString(source, ctx, { operation }), want, `${source} on ${operation}`);
  }
});

test('a missing name fails with the message of the evaluation, or reads as empty in a lenient view', () => {
  const strict = new EvalContext(root(), fns, kyvernoFunctions);
  assert.throws(
    () => substituteString('{{ team }}', strict, {}, '/data/team'),
    { name: 'VariableError', message: 'failed to resolve team at path /data/team: Unknown key "team" in path' },
  );
  assert.equal(substituteString('{{ team }}', new Lenient(root(), fns, kyvernoFunctions), {}), '');
  assert.equal(renderDoc(compileDoc('{{ team }}'), new Lenient(root(), fns, kyvernoFunctions), {}, ''), '');
});

test('an object read by name is copied when the render copies values, shared otherwise', () => {
  const data = root();
  const ctx = new EvalContext(data, fns, kyvernoFunctions);
  const template = compileDoc({ labels: '{{ labels }}' });
  const copied = renderDoc(template, ctx, { copyValues: true }, '') as JsonObject;
  assert.deepEqual(copied, { labels: { team: 'blue' } });
  assert.notEqual(copied['labels'], data['labels']);
  const shared = renderDoc(template, ctx, {}, '') as JsonObject;
  assert.equal(shared['labels'], data['labels']);
});

test('a template kept per request (`{{ request }}`) is not read by name', () => {
  assert.equal(compileString('{{ request }}').singleName, undefined);
  assert.equal(compileString('{{ element }}').singleName, 'element');
  assert.equal(compileString('{{- element }}').singleName, undefined);
  assert.equal(compileString('x-{{ element }}').singleName, undefined);
});
