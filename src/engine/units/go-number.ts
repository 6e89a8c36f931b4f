// Number <-> string conversions with Go's exact rules. Kyverno stringifies numbers with fmt's %v
// (shortest digits, exponent from 1e+06 up) and strconv, and results are compared as text, so
// JavaScript's own Number#toString is not good enough.

/** Shortest round-trip digits of a finite non-zero |v| and the decimal exponent of the first digit. */
function shortestDigits(v: number): { digits: string; exp: number } {
  const [mantissa = '0', exponent = '0'] = Math.abs(v).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exp: Number(exponent) };
}

/** Places `digits` (first digit at 10^exp) in plain positional notation. */
function positional(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function goExponent(exp: number): string {
  const abs = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/** fmt.Sprint(float64) / %v: e.g. 1 -> "1", 0.5 -> "0.5", 1e6 -> "1e+06", 1e-5 -> "1e-05". */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(v);
  // %v is %g with the shortest precision, for which Go switches to exponent form at 1e-5 and 1e6.
  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return sign + mantissa + goExponent(exp);
  }
  return sign + positional(digits, exp);
}

/** strconv.FormatFloat(v, 'f', -1, 32): the shortest float32 digits, never an exponent. */
export function formatGoFloat32Fixed(v: number): string {
  const f32 = Math.fround(v);
  if (Number.isNaN(f32)) return 'NaN';
  if (!Number.isFinite(f32)) return f32 > 0 ? '+Inf' : '-Inf';
  if (f32 === 0) return '0';
  let text = f32.toPrecision(9);
  for (let p = 1; p <= 9; p++) {
    const candidate = f32.toPrecision(p);
    if (Math.fround(Number(candidate)) === f32) {
      text = candidate;
      break;
    }
  }
  const { digits, exp } = shortestDigits(Number(text));
  return (f32 < 0 ? '-' : '') + positional(digits.replace(/0+$/, '') || '0', exp);
}

const decimalFloat = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strconv.ParseFloat(s, 64); undefined where Go returns an error (also on overflow). */
export function parseGoFloat(s: string): number | undefined {
  if (decimalFloat.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }
  const lower = s.toLowerCase();
  if (/^[+]?inf(inity)?$/.test(lower)) return Infinity;
  if (/^-inf(inity)?$/.test(lower)) return -Infinity;
  if (/^[+-]?nan$/.test(lower)) return NaN;
  return undefined;
}

const int64Max = 9223372036854775807n;
const int64Min = -9223372036854775808n;

/** strconv.ParseInt(s, 10, 64); undefined on error. */
export function parseGoInt(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > int64Max || n < int64Min ? undefined : n;
}
