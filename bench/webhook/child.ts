// Starts a benchmark's helper process and resolves once it prints its ready line.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

export interface ReadyChild {
  child: ChildProcess;
  /** The first capture group of `ready` in the child's output. */
  ready: string;
}

/**
 * Runs `node [nodeArgs] script args` and waits for `ready` on stdout or stderr (with an IPC channel,
 * so the parent can ask the child for its CPU time). Rejects if the child exits first.
 */
export function startChild(script: string, args: string[], ready: RegExp, nodeArgs: string[] = []): Promise<ReadyChild> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer): void => {
      out += c.toString('utf8');
      const line = ready.exec(out)?.[1];
      if (line === undefined) return;
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining, so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.pipe(process.stderr);
      child.off('exit', onExit);
      resolve({ child, ready: line });
    };
    const onExit = (code: number | null): void => reject(new Error(`${script} exited (${code ?? 'signal'}):\n${out}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops a child with SIGTERM and waits for it to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
