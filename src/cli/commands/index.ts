import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { offlineServices } from '../services.js';
import { registerApply } from './apply.js';
import { registerLocal } from './local.js';
import { registerServe } from './serve.js';
import { registerTest } from './test.js';

/** Reports a command's exit code; the largest one reported wins. */
export type ExitSink = (code: number) => void;

export function registerCommands(program: Command, io: CliIo, exit: ExitSink): void {
  registerApply(program, io, exit, offlineServices);
  registerTest(program, io, exit, offlineServices);
  registerLocal(program, io, exit);
  registerServe(program, io, exit);
}
