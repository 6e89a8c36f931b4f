// Running programs (kubectl, sh, a command's entrypoint): an interface, so tests can fake it.
import { spawn } from 'node:child_process';

export interface ProcessRequest {
  command: string;
  args: string[];
  /** Added to the runner's own environment. */
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
  timeoutMs?: number;
}

export interface ProcessResult {
  /** Exit code; null when the process was killed or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Null on success; otherwise worded like Go's exec errors ("exit status 1"), which chainsaw binds as $error. */
  error: string | null;
}

export interface ProcessRunner {
  run(request: ProcessRequest): Promise<ProcessResult>;
}

export const spawnRunner: ProcessRunner = {
  run(request) {
    return new Promise((resolve) => {
      const child = spawn(request.command, request.args, {
        cwd: request.cwd,
        env: { ...process.env, ...request.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer =
        request.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, request.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        resolve({ code: null, stdout: '', stderr: '', error: e.message });
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        let error: string | null = null;
        if (timedOut) error = 'context deadline exceeded';
        else if (signal !== null) error = `signal: ${signal === 'SIGKILL' ? 'killed' : signal}`;
        else if (code !== 0) error = `exit status ${code ?? 1}`;
        resolve({ code, stdout, stderr, error });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(request.stdin ?? '');
    });
  },
};
