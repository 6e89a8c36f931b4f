import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Reports a command's exit code; the largest one reported wins. */
export type ExitSink = (code: number) => void;

export function registerCommands(_program: Command, _io: CliIo, _exit: ExitSink): void {
  // Commands register here as they are built.
}
