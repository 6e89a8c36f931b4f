// Chainsaw runs scripts in the test's own folder, and some write there (keys, kubeconfig copies, pod
// names). The corpus is shared and must stay as it was: whatever a test adds to its folder is removed
// when it ends.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The names in the folder now (empty when it cannot be read). */
export function snapshotEntries(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

/** Removes the folder's entries that are not in `before`; returns the names removed. */
export function removeNewEntries(dir: string, before: Set<string>): string[] {
  const removed: string[] = [];
  for (const name of snapshotEntries(dir)) {
    if (before.has(name)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed.sort();
}
