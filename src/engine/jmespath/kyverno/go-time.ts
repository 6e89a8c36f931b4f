// Go's time.Parse with reference layouts ("2006-01-02T15:04:05Z07:00", "Mon Jan _2 15:04:05 2006",
// ...) and the RFC 3339 output Kyverno's time functions return. A time is an instant in
// nanoseconds plus the UTC offset it was written with, because Go keeps that offset when printing.

export interface GoTime {
  /** Nanoseconds since the Unix epoch. */
  readonly epochNs: bigint;
  readonly offsetSeconds: number;
}

export const rfc3339Layout = '2006-01-02T15:04:05Z07:00';

export class TimeParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeParseError';
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const NS_PER_SECOND = 1_000_000_000n;

/** Wall-clock fields of a time in its own offset. */
export function fieldsOf(t: GoTime): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
} {
  const local = t.epochNs + BigInt(t.offsetSeconds) * NS_PER_SECOND;
  let seconds = local / NS_PER_SECOND;
  if (local < 0n && local % NS_PER_SECOND !== 0n) seconds -= 1n;
  const secs = Number(seconds);
  const days = Math.floor(secs / 86400);
  const rem = secs - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(rem / 3600),
    minute: Math.floor((rem % 3600) / 60),
    second: rem % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
  };
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** t.Format(time.RFC3339): whole seconds, "Z" for a zero offset, else ±hh:mm. */
export function formatRfc3339(t: GoTime): string {
  const f = fieldsOf(t);
  const year = f.year < 0 ? `-${pad(f.year, 4)}` : pad(f.year, 4);
  let zone = 'Z';
  if (t.offsetSeconds !== 0) {
    const abs = Math.abs(t.offsetSeconds);
    zone = `${t.offsetSeconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}`;
  }
  return `${year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${zone}`;
}

export function timeFromEpochMillis(ms: number): GoTime {
  return { epochNs: BigInt(Math.trunc(ms)) * 1_000_000n, offsetSeconds: 0 };
}

const longMonths = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Layout elements in the order Go's nextStdChunk recognises them at a position.
const stdTokens = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '002',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '1',
  '2006',
  '2',
  '_2',
  '3',
  '4',
  '5',
  'PM',
  'pm',
  '-070000',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
  'Z070000',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
];

function nextToken(layout: string, i: number): string | undefined {
  const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
  if (frac !== null) return frac[0];
  for (const tok of stdTokens) {
    if (!layout.startsWith(tok, i)) continue;
    // "Jan"/"Mon" followed by a lowercase letter is plain text (e.g. "Monday" is handled first).
    if ((tok === 'Jan' || tok === 'Mon') && /[a-z]/.test(layout[i + 3] ?? '')) continue;
    return tok;
  }
  return undefined;
}

interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  pm?: boolean;
  offset?: number;
}

/** time.Parse(layout, value). Throws TimeParseError in Go's wording. */
export function parseGoTime(layout: string, value: string): GoTime {
  const fail = (rest: string, elem: string): TimeParseError =>
    new TimeParseError(
      `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`,
    );
  const p: Parsed = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0 };
  let v = 0;
  let l = 0;
  const num = (min: number, max: number, elem: string): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value.slice(v));
    if (m === null) throw fail(value.slice(v), elem);
    v += m[0].length;
    return Number(m[0]);
  };
  const word = (names: string[], elem: string): number => {
    const rest = value.slice(v).toLowerCase();
    const idx = names.findIndex((n) => rest.startsWith(n.toLowerCase()));
    if (idx < 0) throw fail(value.slice(v), elem);
    v += (names[idx] as string).length;
    return idx;
  };
  while (l < layout.length) {
    const tok = nextToken(layout, l);
    if (tok === undefined) {
      if (value[v] !== layout[l]) throw fail(value.slice(v), layout.slice(l));
      v++;
      l++;
      continue;
    }
    l += tok.length;
    switch (tok) {
      case '2006':
        p.year = num(4, 4, tok);
        break;
      case '06': {
        const y = num(2, 2, tok);
        p.year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '01':
        p.month = num(2, 2, tok);
        break;
      case '1':
        p.month = num(1, 2, tok);
        break;
      case 'Jan':
        p.month =
          word(
            longMonths.map((m) => m.slice(0, 3)),
            tok,
          ) + 1;
        break;
      case 'January':
        p.month = word(longMonths, tok) + 1;
        break;
      case 'Mon':
        word(
          longDays.map((d) => d.slice(0, 3)),
          tok,
        );
        break;
      case 'Monday':
        word(longDays, tok);
        break;
      case '02':
        p.day = num(2, 2, tok);
        break;
      case '2':
        p.day = num(1, 2, tok);
        break;
      case '_2':
        if (value[v] === ' ') v++;
        p.day = num(1, 2, tok);
        break;
      case '002':
        num(3, 3, tok);
        break;
      case '15':
        p.hour = num(1, 2, tok);
        break;
      case '03':
        p.hour = num(2, 2, tok);
        break;
      case '3':
        p.hour = num(1, 2, tok);
        break;
      case '04':
        p.minute = num(2, 2, tok);
        break;
      case '4':
        p.minute = num(1, 2, tok);
        break;
      case '05':
      case '5': {
        p.second = num(tok === '05' ? 2 : 1, 2, tok);
        // Go accepts a fractional second here even when the layout has none.
        const frac = /^[.,](\d+)/.exec(value.slice(v));
        if (frac !== null && !/^[.,][09]/.test(layout.slice(l))) {
          p.nanos = Number((frac[1] ?? '').slice(0, 9).padEnd(9, '0'));
          v += frac[0].length;
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const ampm = value.slice(v, v + 2).toUpperCase();
        if (ampm !== 'AM' && ampm !== 'PM') throw fail(value.slice(v), tok);
        p.pm = ampm === 'PM';
        v += 2;
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}(?:[+-]\d{1,2})?/.exec(value.slice(v));
        if (m === null) throw fail(value.slice(v), tok);
        v += m[0].length;
        p.offset = 0;
        break;
      }
      default: {
        if (tok.startsWith('Z') || tok.startsWith('-')) {
          if (tok.startsWith('Z') && value[v] === 'Z') {
            v++;
            p.offset = 0;
            break;
          }
          const withColon = tok.includes(':');
          const re = tok.endsWith('07')
            ? /^([+-])(\d{2})/
            : withColon
              ? /^([+-])(\d{2}):(\d{2})(?::(\d{2}))?/
              : /^([+-])(\d{2})(\d{2})(\d{2})?/;
          const m = re.exec(value.slice(v));
          if (m === null) throw fail(value.slice(v), tok);
          v += m[0].length;
          const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
          p.offset = m[1] === '-' ? -secs : secs;
        } else {
          // Fractional seconds element (.000 exact width, .999 optional digits).
          const digits = tok.length - 1;
          const m = (tok[1] === '0' ? new RegExp(`^[.,](\\d{${digits}})`) : /^(?:[.,](\d+))?/).exec(
            value.slice(v),
          );
          if (m === null) throw fail(value.slice(v), tok);
          v += m[0].length;
          p.nanos = Number((m[1] ?? '').slice(0, 9).padEnd(9, '0'));
        }
      }
    }
  }
  if (v < value.length) {
    throw new TimeParseError(
      `parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(value.slice(v))}`,
    );
  }
  return build(p, value);
}

function build(p: Parsed, value: string): GoTime {
  const range = (what: string): TimeParseError =>
    new TimeParseError(`parsing time ${JSON.stringify(value)}: ${what} out of range`);
  let hour = p.hour;
  if (p.pm !== undefined) {
    if (hour > 12) throw range('hour');
    if (p.pm && hour < 12) hour += 12;
    if (!p.pm && hour === 12) hour = 0;
  }
  if (p.month < 1 || p.month > 12) throw range('month');
  if (p.day < 1 || p.day > daysIn(p.month, p.year)) throw range('day');
  if (hour > 23) throw range('hour');
  if (p.minute > 59) throw range('minute');
  if (p.second > 59) throw range('second');
  const offset = p.offset ?? 0;
  const seconds =
    daysFromCivil(p.year, p.month, p.day) * 86400 + hour * 3600 + p.minute * 60 + p.second - offset;
  return { epochNs: BigInt(seconds) * NS_PER_SECOND + BigInt(p.nanos), offsetSeconds: offset };
}

export function parseRfc3339(value: string): GoTime {
  return parseGoTime(rfc3339Layout, value);
}

/** Seconds between the Unix epoch and Go's zero time (January 1, year 1, UTC). */
const zeroTimeOffsetNs = 62135596800n * NS_PER_SECOND;

/** t.Truncate(d): rounds down to a multiple of d since the zero time; d <= 0 returns t. */
export function truncateTime(t: GoTime, d: bigint): GoTime {
  if (d <= 0n) return t;
  const sinceZero = t.epochNs + zeroTimeOffsetNs;
  let rem = sinceZero % d;
  if (rem < 0n) rem += d;
  return { epochNs: t.epochNs - rem, offsetSeconds: t.offsetSeconds };
}
