// Composition root of the `sprout` command: the only place that touches process streams and env.
import { run } from '../cli/main.js';

export async function main(argv: string[]): Promise<number> {
  return run(argv, {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  });
}
