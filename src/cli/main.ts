// `sprout` command line: parses flags with commander and dispatches to commands.
// Every failure ends as an exit code: 0 ok, 1 a check failed, 2 bad input.
import { Command, CommanderError } from 'commander';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';
import { registerCommands } from './commands/index.js';

export const VERSION = '0.1.0';

export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('sprout')
    .description('Kyverno-compatible policy engine and controller, generate rules first-class')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError(false);
  registerCommands(program, io, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.err(`Error: ${e.message}\n`);
      return 2;
    }
    io.err(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}
