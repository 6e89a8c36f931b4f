// Structured JSON logs through pino. Logged Kubernetes objects may be Secrets, so their `data` and
// `stringData` are redacted wherever an object sits in the first levels of a log record.
import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line: a Secret's payload at the top or nested in fields. */
export const REDACTED_PATHS: readonly string[] = [
  'data',
  'stringData',
  '*.data',
  '*.stringData',
  '*.*.data',
  '*.*.stringData',
];

export interface LoggerOptions {
  level: Level | 'silent';
  /** Pretty printing needs pino-pretty, which is not a dependency; only JSON output exists. */
  pretty?: false;
  /** Fields bound to every record (e.g. { component: 'controller' }). */
  base?: Record<string, string>;
  /** Where records go (default stdout); tests pass a stream that collects lines. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const config = {
    level: options.level,
    base: options.base ?? {},
    redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

/** A logger that drops everything, for code paths and tests that need one but say nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
