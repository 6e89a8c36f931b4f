// Time functions. "Now" comes only from FunctionContext.now() (UTC, as Kyverno runs in a UTC
// container), inputs are RFC 3339 unless a Go layout is given, outputs are RFC 3339 or Go
// duration strings.
import type { JsonValue } from '../../../api/json.js';
import { DurationError, formatDuration, parseDuration } from '../../units/duration.js';
import { parseGoInt } from '../../units/go-number.js';
import type { FunctionContext, FunctionSpec } from '../types.js';
import type { GoTime } from './go-time.js';
import {
  fieldsOf,
  formatRfc3339,
  parseGoTime,
  parseRfc3339,
  timeFromEpochMillis,
  TimeParseError,
  truncateTime,
} from './go-time.js';
import { plainError, spec, str, stringAt } from './helpers.js';

/** Errors from time.Parse / time.ParseDuration surface with Go's own text, as in Kyverno. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TimeParseError || e instanceof DurationError) throw plainError(e.message);
    throw e;
  }
}

const timeArg = (a: JsonValue[], i: number): GoTime => guard(() => parseRfc3339(stringAt(a, i)));
const durationArg = (a: JsonValue[], i: number): bigint => guard(() => parseDuration(stringAt(a, i)));
const now = (ctx: FunctionContext): GoTime => timeFromEpochMillis(ctx.now());

function parseWithLayout(layout: string, value: string): GoTime {
  return guard(() => (layout === '' ? parseRfc3339(value) : parseGoTime(layout, value)));
}

export const timeFunctions: FunctionSpec[] = [
  spec('time_now', [], (_a, ctx) => formatRfc3339(now(ctx))),
  spec('time_now_utc', [], (_a, ctx) => formatRfc3339(now(ctx))),
  spec('time_since', [str, str, str], (a, ctx) => {
    const layout = stringAt(a, 0);
    const start = parseWithLayout(layout, stringAt(a, 1));
    const endText = stringAt(a, 2);
    const end = endText === '' ? now(ctx) : parseWithLayout(layout, endText);
    return formatDuration(end.epochNs - start.epochNs);
  }),
  spec('time_add', [str, str], (a) => {
    const t = timeArg(a, 0);
    const d = durationArg(a, 1);
    return formatRfc3339({ epochNs: t.epochNs + d, offsetSeconds: t.offsetSeconds });
  }),
  spec('time_parse', [str, str], (a) => {
    const layout = stringAt(a, 0);
    const value = stringAt(a, 1);
    // A numeric layout means "value is Unix seconds".
    if (parseGoInt(layout) !== undefined) {
      const seconds = parseGoInt(value);
      if (seconds === undefined)
        throw plainError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
      return formatRfc3339({ epochNs: seconds * 1_000_000_000n, offsetSeconds: 0 });
    }
    return formatRfc3339(parseWithLayout(layout, value));
  }),
  spec('time_utc', [str], (a) => formatRfc3339({ epochNs: timeArg(a, 0).epochNs, offsetSeconds: 0 })),
  spec('time_diff', [str, str], (a) => {
    const t1 = timeArg(a, 0);
    const t2 = timeArg(a, 1);
    return formatDuration(t2.epochNs - t1.epochNs);
  }),
  spec('time_before', [str, str], (a) => timeArg(a, 0).epochNs < timeArg(a, 1).epochNs),
  spec('time_after', [str, str], (a) => timeArg(a, 0).epochNs > timeArg(a, 1).epochNs),
  spec('time_between', [str, str, str], (a) => {
    const t = timeArg(a, 0).epochNs;
    return t > timeArg(a, 1).epochNs && t < timeArg(a, 2).epochNs;
  }),
  spec('time_truncate', [str, str], (a) => formatRfc3339(truncateTime(timeArg(a, 0), durationArg(a, 1)))),
  spec('time_to_cron', [str], (a) => {
    const f = fieldsOf(timeArg(a, 0));
    return `${f.minute} ${f.hour} ${f.day} ${f.month} ${f.weekday}`;
  }),
];
