// Where the repository and the shared corpus are, independent of the working directory.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
/** `../shared/corpus`: Kyverno's own tests, read in place and never copied. */
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
