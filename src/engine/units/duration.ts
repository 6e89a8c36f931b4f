// Go time.Duration: parse (time.ParseDuration) and print (Duration.String) with the same rules and
// error texts. Values are int64 nanoseconds held in a BigInt so that hours of nanoseconds stay exact.

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

export const nanosecond = 1n;
export const microsecond = 1000n;
export const millisecond = 1_000_000n;
export const second = 1_000_000_000n;
export const minute = 60n * second;
export const hour = 60n * minute;

const units: Record<string, bigint> = {
  ns: nanosecond,
  us: microsecond,
  µs: microsecond, // U+00B5
  μs: microsecond, // U+03BC
  ms: millisecond,
  s: second,
  m: minute,
  h: hour,
};

const maxDuration = (1n << 63n) - 1n;

/** Go's strconv.Quote for the error messages (ASCII input is the common case). */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** time.ParseDuration: "1h30m", "1.5h", "-300ms", "0". Throws DurationError. */
export function parseDuration(input: string): bigint {
  const invalid = (): DurationError => new DurationError(`time: invalid duration ${quote(input)}`);
  let s = input;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const match = /^(\d*)(?:\.(\d*))?/.exec(s);
    const intPart = match?.[1] ?? '';
    const fracPart = match?.[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw invalid();
    s = s.slice(match?.[0].length ?? 0);
    const unitMatch = /^[^\d.]*/.exec(s);
    const unitName = unitMatch?.[0] ?? '';
    if (unitName === '') throw new DurationError(`time: missing unit in duration ${quote(input)}`);
    const unit = units[unitName];
    if (unit === undefined || !Object.hasOwn(units, unitName)) {
      throw new DurationError(`time: unknown unit ${quote(unitName)} in duration ${quote(input)}`);
    }
    s = s.slice(unitName.length);
    let value = BigInt(intPart || '0') * unit;
    if (fracPart !== undefined && fracPart !== '') {
      value += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    }
    total += value;
    if (total > maxDuration + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}

// Every string parseDuration accepts matches this; a cheap test first spares building an Error (with its
// stack trace) for the many condition operands that are plainly not durations.
const durationShape = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

/** A duration starts with a sign, a digit or a point: words are rejected before the regex runs. */
function mayBeDuration(input: string): boolean {
  const c = input.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

export function tryParseDuration(input: string): bigint | undefined {
  if (!mayBeDuration(input) || !durationShape.test(input)) return undefined;
  try {
    return parseDuration(input);
  } catch {
    return undefined;
  }
}

/** Digits of v below 10^prec, trailing zeros dropped; "" when they are all zero. */
function fraction(v: bigint, prec: number): string {
  const digits = (v % 10n ** BigInt(prec)).toString().padStart(prec, '0').replace(/0+$/, '');
  return digits === '' ? '' : `.${digits}`;
}

/** Duration.String(): "1h30m0s", "1.5s", "300ms", "1µs", "0s". */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < second) {
    if (u < microsecond) return `${sign}${u}ns`;
    if (u < millisecond) return `${sign}${u / microsecond}${fraction(u, 3)}µs`;
    return `${sign}${u / millisecond}${fraction(u, 6)}ms`;
  }
  const secondsText = `${(u / second) % 60n}${fraction(u, 9)}s`;
  const totalMinutes = u / minute;
  if (totalMinutes === 0n) return sign + secondsText;
  const totalHours = totalMinutes / 60n;
  const minutesText = `${totalMinutes % 60n}m`;
  if (totalHours === 0n) return sign + minutesText + secondsText;
  return `${sign}${totalHours}h${minutesText}${secondsText}`;
}

/** Duration.Seconds() as float64. */
export function durationSeconds(ns: bigint): number {
  return Number(ns / second) + Number(ns % second) / 1e9;
}

/** time.Duration(float64 nanoseconds): Go truncates toward zero when converting. */
export function durationFromNanos(ns: number): bigint {
  if (!Number.isFinite(ns)) return ns > 0 ? maxDuration : -maxDuration - 1n;
  return BigInt(Math.trunc(ns));
}
