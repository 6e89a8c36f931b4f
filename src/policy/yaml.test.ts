import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlDocuments, YamlSyntaxError } from './yaml.js';

test('reads YAML 1.1 like Kubernetes: on/yes are booleans, timestamps stay strings', () => {
  const docs = parseYamlDocuments('a: on\nb: yes\nc: 2020-01-01\nd: "1"\n', 'x.yaml');
  assert.deepEqual(docs, [{ index: 0, value: { a: true, b: true, c: '2020-01-01', d: '1' } }]);
});

test('multi-document files skip empty documents but keep positions', () => {
  const docs = parseYamlDocuments('---\na: 1\n---\n---\nb: 2\n', 'x.yaml');
  assert.deepEqual(
    docs.map((d) => d.value),
    [{ a: 1 }, { b: 2 }],
  );
});

test('a syntax error names the file and line', () => {
  assert.throws(
    () => parseYamlDocuments('a: [1, 2\nb: 3\n', 'bad.yaml'),
    (e: unknown) => e instanceof YamlSyntaxError && e.message.startsWith('bad.yaml:'),
  );
});
