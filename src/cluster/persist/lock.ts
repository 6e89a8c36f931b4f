// One server per data dir: two processes appending to the same log would corrupt it. The lock
// file holds the owner's pid; a lock left by a process that no longer runs (killed, crashed) is
// taken over, which is what lets a SIGKILLed server restart on its own dir.
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCode, LOCK_FILE } from './files.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isCode(e, 'EPERM');
  }
}

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`data dir ${dir} is in use by process ${pid}`);
    this.name = 'DataDirLockedError';
  }
}

/** Takes the dir's lock; returns the function that releases it. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
  } catch (e) {
    if (!isCode(e, 'EEXIST')) throw e;
    const owner = Number((await readFile(path, 'utf8')).trim());
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner))
      throw new DataDirLockedError(dir, owner);
    await writeFile(path, String(process.pid));
  }
  return () => rm(path, { force: true });
}
