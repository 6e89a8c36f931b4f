// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity): exact decimal values
// held as unscaled × 10^-scale with BigInt, the same parse grammar, rounding (up to 1n) and the
// canonical String() form, because Kyverno returns quantities to policies as those strings.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = unscaled × 10^-scale */
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
}

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const suffixLetters = 'eEinumkKMGTP';
const nanoScale = 9;

interface Scanned {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

// Mirrors apimachinery's parseQuantityString scan, including its leniencies ("1.", ".5").
function scan(str: string): Scanned {
  let pos = 0;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (str[pos] === '0') pos++;
  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < str.length && suffixLetters.includes(str[pos] as string)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < str.length)
    throw new QuantityError(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } {
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined && Object.hasOwn(decimalSuffixes, suffix))
    return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes[suffix];
  if (bin !== undefined && Object.hasOwn(binarySuffixes, suffix))
    return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent)) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityError("unable to parse quantity's suffix");
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** resource.ParseQuantity. Throws QuantityError like Kubernetes rejects the string. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0)
    throw new QuantityError(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  const { positive, num, denom, suffix } = scan(str);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix);
  let unscaled = BigInt(num + denom);
  let scale = denom.length;
  if (base === 10) scale -= exponent;
  else unscaled *= 2n ** BigInt(exponent);
  // Kubernetes rounds non-zero amounts up to the nearest nano so that asking for a tiny amount still gets some.
  if (scale > nanoScale && unscaled !== 0n) {
    const divisor = pow10(scale - nanoScale);
    unscaled = (unscaled + divisor - 1n) / divisor;
    scale = nanoScale;
  }
  let format = parsedFormat;
  const belowOne = compareQuantities({ unscaled, scale, format }, quantityFromInteger(1n, format)) < 0;
  if (format === 'BinarySI' && unscaled !== 0n && belowOne) format = 'DecimalSI';
  return { unscaled: positive ? unscaled : -unscaled, scale, format };
}

// Exactly the strings scan() gets through; anything else would only throw, and building that Error is
// the expensive part of a failed attempt (conditions try quantities on every string operand).
const quantityShape = /^[+-]?\d*(?:\.\d*)?[eEinumkKMGTP]*[+-]?\d*$/;

// The characters a quantity can start with: most strings operators probe are words, rejected here
// without running the regex.
const quantityStart = '+-.0123456789eEinumkKMGTP';

export function tryParseQuantity(str: string): Quantity | undefined {
  if (str.length === 0 || !quantityStart.includes(str.charAt(0)) || !quantityShape.test(str)) return undefined;
  try {
    return parseQuantity(str);
  } catch {
    return undefined;
  }
}

/** Both values brought to the same scale, so they can be compared or added as integers. */
function align(a: Quantity, b: Quantity): { x: bigint; y: bigint; scale: number } {
  const scale = Math.max(a.scale, b.scale);
  return { x: a.unscaled * pow10(scale - a.scale), y: b.unscaled * pow10(scale - b.scale), scale };
}

/** -1, 0 or 1, like Quantity.Cmp. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const { x, y } = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Quantity.Add: the result keeps a's format unless a is zero. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const { x, y, scale } = align(a, b);
  return { unscaled: x + y, scale, format: a.unscaled === 0n ? b.format : a.format };
}

export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return addQuantities(a, { ...b, unscaled: -b.unscaled });
}

/** Exact product, keeping a's format (inf.Dec multiplication as Kyverno's multiply does). */
export function multiplyQuantities(a: Quantity, b: Quantity): Quantity {
  return { unscaled: a.unscaled * b.unscaled, scale: a.scale + b.scale, format: a.format };
}

/** a / b truncated toward zero at the larger of the two scales (inf.Dec QuoRound RoundDown). */
export function divideQuantities(a: Quantity, b: Quantity): Quantity {
  if (b.unscaled === 0n) throw new QuantityError('division by zero');
  const scale = Math.max(a.scale, b.scale);
  // value = a.u × 10^(b.s) / (b.u × 10^(a.s)); result unscaled = value × 10^scale.
  let numerator = a.unscaled;
  let denominator = b.unscaled;
  const shift = b.scale + scale - a.scale;
  if (shift >= 0) numerator *= pow10(shift);
  else denominator *= pow10(-shift);
  return { unscaled: numerator / denominator, scale, format: a.format };
}

export function quantityToNumber(q: Quantity): number {
  return q.scale >= 0 ? Number(q.unscaled) / 10 ** q.scale : Number(q.unscaled) * 10 ** -q.scale;
}

/** An integer quantity (resource.NewQuantity). */
export function quantityFromInteger(value: bigint, format: QuantityFormat): Quantity {
  return { unscaled: value, scale: 0, format };
}

function isInteger(q: Quantity): boolean {
  return q.scale <= 0 || q.unscaled % pow10(q.scale) === 0n;
}

function integerValue(q: Quantity): bigint {
  return q.scale <= 0 ? q.unscaled * pow10(-q.scale) : q.unscaled / pow10(q.scale);
}

const decimalSuffixByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binarySuffixByExponent = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e, s]));

function formatDecimal(q: Quantity, format: QuantityFormat): string {
  let mantissa = q.unscaled;
  let exponent = -q.scale;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = decimalSuffixByExponent.get(exponent);
  return suffix === undefined ? `${mantissa}e${exponent}` : `${mantissa}${suffix}`;
}

/** Quantity.String(): the canonical form ("1500m", "1536Mi", "1e3", "0"). */
export function formatQuantity(q: Quantity): string {
  if (q.unscaled === 0n) return '0';
  if (q.format === 'BinarySI') {
    const small =
      compareQuantities({ ...q, unscaled: abs(q.unscaled) }, quantityFromInteger(1024n, 'DecimalSI')) < 0;
    if (!small && isInteger(q)) {
      let amount = integerValue(q);
      let exponent = 0;
      while (amount % 1024n === 0n && exponent < 60) {
        amount /= 1024n;
        exponent += 10;
      }
      return `${amount}${binarySuffixByExponent.get(exponent) ?? ''}`;
    }
    return formatDecimal(q, 'DecimalSI');
  }
  return formatDecimal(q, q.format);
}

/** Parses and re-prints: the canonical string of a quantity string. */
export function canonicalQuantity(str: string): string {
  return formatQuantity(parseQuantity(str));
}
