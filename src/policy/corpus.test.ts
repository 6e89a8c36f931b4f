// Kyverno's own policies (../shared/corpus, read in place) must all be accepted: a rejection here is
// a difference between Sprout and Kyverno.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsonObject } from '../api/json.js';
import { listPolicyFiles } from './load.js';
import { readFile } from 'node:fs/promises';
import { parseYamlDocuments } from './yaml.js';
import { isKyvernoPolicyDocument, validatePolicy } from './validate.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src', 'policy'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const corpus = join(repoRoot(), '..', 'shared', 'corpus');
const folders = ['cli/generate', 'cli/validate-mutate', 'policies-without-cli-test', 'chainsaw'];

for (const folder of folders) {
  test(`every policy in corpus/${folder} is accepted`, async () => {
    const files = await listPolicyFiles(join(corpus, folder));
    let policies = 0;
    const rejected: string[] = [];
    for (const file of files) {
      for (const { value } of parseYamlDocuments(await readFile(file, 'utf8'), file)) {
        // Chainsaw assertion files hold partial policies (status only); they are not policies to load.
        if (!isKyvernoPolicyDocument(value) || !isJsonObject(value) || value.spec === undefined) continue;
        policies++;
        for (const p of validatePolicy(value, file).problems) {
          if (p.severity === 'error')
            rejected.push(`${file.slice(corpus.length + 1)}: ${p.path}: ${p.message}`);
        }
      }
    }
    assert.ok(policies > 0, `no policies found under ${folder}`);
    assert.deepEqual(rejected, []);
  });
}
