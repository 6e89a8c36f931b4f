// The CLI writes through this, so commands are testable without touching process streams.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  /** The process environment, handed in by main/ (the only reader of process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Bad input: reported as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
