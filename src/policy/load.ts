// Loads policies from files and folders (recursively: .yaml, .yml, .json), in a stable order.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadResult } from './documents.js';
import { emptyLoadResult, mergeLoadResults, parsePolicyDocuments } from './documents.js';
import type { ValidatePolicyOptions } from './validate.js';

const extensions = ['.yaml', '.yml', '.json'];

export async function loadPolicyFiles(
  paths: string[],
  options: ValidatePolicyOptions = {},
): Promise<LoadResult> {
  const result = emptyLoadResult();
  for (const path of paths) {
    let files: string[];
    try {
      // A file named explicitly is read whatever its extension; folders contribute only YAML/JSON.
      files = (await stat(path)).isDirectory() ? await listPolicyFiles(path) : [path];
    } catch (e) {
      result.errors.push({ file: path, path: '', message: `cannot read: ${reason(e)}`, severity: 'error' });
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        result.errors.push({ file, path: '', message: `cannot read: ${reason(e)}`, severity: 'error' });
        continue;
      }
      mergeLoadResults(result, parsePolicyDocuments(text, file, options));
    }
  }
  return result;
}

/** Every .yaml/.yml/.json file below `dir`, sorted so results do not depend on the file system. */
export async function listPolicyFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listPolicyFiles(path)));
    else if (extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))) out.push(path);
  }
  return out;
}

function reason(e: unknown): string {
  if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return 'no such file or directory';
  return e instanceof Error ? e.message : String(e);
}
