/**
 * Kubernetes resource quantities (`500m`, `64Gi`, `1e3`), parsed and added exactly.
 *
 * Quotas mix units freely (`64Gi` on a parent, `34359738368` and `32768Mi` on its
 * children), so comparing them needs Kubernetes' own arithmetic, not floats:
 * `0.1 + 0.2` must equal `300m`, and `8Ei` does not fit a double's mantissa.
 * A value is held as a BigInt mantissa and a base-10 scale; binary suffixes are
 * multiplied out when parsing, which always leaves a finite decimal.
 *
 * Parsing follows `k8s.io/apimachinery/pkg/api/resource.ParseQuantity`:
 * optional sign, a decimal number (`1`, `1.5`, `.5`, `5.`), then one suffix,
 * either SI (`n u m k M G T P E`, case-sensitive), binary (`Ki Mi Gi Ti Pi Ei`) or
 * a decimal exponent (`e3`, `E-2`). Like Kubernetes, a non-zero value finer than
 * a nano-unit is rounded up, away from zero, to `1n` ("if you ask for some, you
 * get some"). Two differences, both for inputs nobody writes: a lone sign or dot
 * (which Kubernetes reads as 0) is refused, and so is a decimal exponent above
 * {@link MAX_EXPONENT}; binary amounts above 2^63-1 are kept exact instead of capped.
 *
 * Not part of the jsii API (it is built on `bigint`, which jsii cannot carry).
 * @internal
 */

/** Largest power of ten a quantity may carry (keeps BigInt arithmetic cheap). @internal */
export const MAX_EXPONENT = 1000;

/** Kubernetes' finest resolution: 10^-9. @internal */
const NANO_SCALE = -9;

/** Powers of ten of the decimal SI suffixes. */
const DECIMAL_SUFFIXES: { readonly [suffix: string]: number } = {
  n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};

/** Powers of 1024 of the binary suffixes. */
const BINARY_SUFFIXES: { readonly [suffix: string]: number } = {
  Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6,
};

const SUFFIX_LIST = 'n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei';

/** Sign, integer digits, fraction digits, and whatever follows (the suffix). */
const NUMBER_PART = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s;
const EXPONENT_SUFFIX = /^[eE]([+-]?[0-9]+)$/;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/**
 * An exact amount: `mantissa * 10^scale`, kept normalised (no trailing zeros in
 * the mantissa, scale 0 for zero) so that equal amounts have equal fields.
 * @internal
 */
export class Quantity {
  public static readonly ZERO: Quantity = new Quantity(0n, 0);

  /** The amount `mantissa * 10^scale`, normalised. */
  public static of(mantissa: bigint, scale: number): Quantity {
    if (mantissa === 0n) return Quantity.ZERO;
    let m = mantissa;
    let s = scale;
    while (m % 10n === 0n) {
      m /= 10n;
      s += 1;
    }
    return new Quantity(m, s);
  }

  private constructor(public readonly mantissa: bigint, public readonly scale: number) {}

  public add(other: Quantity): Quantity {
    if (this.isZero()) return other;
    if (other.isZero()) return this;
    const s = Math.min(this.scale, other.scale);
    return Quantity.of(this.mantissa * pow10(this.scale - s) + other.mantissa * pow10(other.scale - s), s);
  }

  public sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  public neg(): Quantity {
    return this.isZero() ? this : new Quantity(-this.mantissa, this.scale);
  }

  /** Negative, zero or positive as `this` is less than, equal to or greater than `other`. */
  public compare(other: Quantity): -1 | 0 | 1 {
    const d = this.sub(other).mantissa;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  public equals(other: Quantity): boolean {
    return this.mantissa === other.mantissa && this.scale === other.scale;
  }

  public isZero(): boolean {
    return this.mantissa === 0n;
  }

  public isNegative(): boolean {
    return this.mantissa < 0n;
  }

  /** Whether the amount is a whole number (object counts and extended resources must be). */
  public isInteger(): boolean {
    return this.scale >= 0 || this.mantissa === 0n;
  }

  /** The largest whole number not above the amount. */
  public floor(): Quantity {
    if (this.isInteger()) return this;
    const d = pow10(-this.scale);
    const q = this.mantissa / d;
    return Quantity.of(this.mantissa < 0n ? q - 1n : q, 0);
  }

  /** The smallest whole number not below the amount. */
  public ceil(): Quantity {
    return this.isInteger() ? this : this.floor().add(Quantity.of(1n, 0));
  }

  /** The same as `formatQuantity(this)`. */
  public toString(): string {
    return formatQuantity(this);
  }
}

const ZERO = Quantity.ZERO;

/**
 * Why `s` is not a Kubernetes quantity, or undefined when it is one.
 * @internal
 */
export function quantityProblem(s: string | number): string | undefined {
  const r = parse(s);
  return typeof r === 'string' ? r : undefined;
}

/**
 * The quantity `s` stands for, or why it is not one (one parse for callers that report problems).
 * @internal
 */
export function tryParseQuantity(s: string | number): Quantity | string {
  return parse(s);
}

/**
 * Parses a Kubernetes quantity exactly. Numbers are read as their decimal text.
 * @throws Error naming the text, what is wrong with it, and the accepted forms.
 * @internal
 */
export function parseQuantity(s: string | number): Quantity {
  const r = parse(s);
  if (typeof r === 'string') {
    throw new Error(`"${s}" is not a Kubernetes quantity: ${r}. Write a decimal number with an optional suffix (${SUFFIX_LIST}) or exponent, e.g. "4", "500m", "64Gi", "1.5e3".`);
  }
  return r;
}

/** Platforms repeat a handful of texts ("4", "64Gi") across thousands of tenants; values are immutable, so they can be shared. */
const CACHE = new Map<string, Quantity | string>();
const CACHE_MAX = 4096;

function parse(input: string | number): Quantity | string {
  if (typeof input !== 'string') return parseText(input);
  let r = CACHE.get(input);
  if (r === undefined) {
    if (CACHE.size >= CACHE_MAX) CACHE.clear();
    r = parseText(input);
    CACHE.set(input, r);
  }
  return r;
}

function parseText(input: string | number): Quantity | string {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return 'it is not a finite number';
    // String(n) is the shortest decimal that reads back as n ("1e+21", "1.5e-7"), which the grammar below accepts.
    return parse(String(input));
  }
  if (typeof input !== 'string') return `it is a ${typeof input}, not a string or number`;
  if (input.length === 0) return 'it is empty';
  if (input.trim() !== input) return 'it has leading or trailing spaces';
  const m = NUMBER_PART.exec(input)!;
  const [, sign, int, frac, suffix] = m;
  const digits = int + (frac ?? '');
  if (digits.length === 0) return 'it does not start with a number (digits, optionally with a sign and one decimal point)';

  let scale = frac ? -frac.length : 0;
  let mantissa = BigInt(digits);
  if (suffix in DECIMAL_SUFFIXES) {
    scale += DECIMAL_SUFFIXES[suffix];
  } else if (suffix in BINARY_SUFFIXES) {
    mantissa *= 1024n ** BigInt(BINARY_SUFFIXES[suffix]);
  } else if (suffix !== '') {
    const e = EXPONENT_SUFFIX.exec(suffix);
    if (!e) return suffixProblem(suffix);
    // Number() keeps the magnitude of absurd exponents, which is all the checks below need.
    scale += Number(e[1]);
  }
  if (sign === '-') mantissa = -mantissa;
  if (mantissa === 0n) return ZERO;
  if (scale > MAX_EXPONENT) return `its exponent is above 10^${MAX_EXPONENT}, which no resource needs`;
  if (scale < NANO_SCALE) return roundUpToNano(mantissa, scale);
  return Quantity.of(mantissa, scale);
}

function suffixProblem(suffix: string): string {
  if (/\s/.test(suffix)) return `spaces are not allowed between the number and its suffix ("${suffix}")`;
  const known = [...Object.keys(DECIMAL_SUFFIXES), ...Object.keys(BINARY_SUFFIXES)];
  const near = known.find(k => k.toLowerCase() === suffix.toLowerCase()) ?? (suffix === 'K' ? 'k' : undefined);
  const hint = near ? `; suffixes are case-sensitive, did you mean "${near}"?` : '';
  return `"${suffix}" is not a suffix Kubernetes knows (${SUFFIX_LIST}, or an exponent like e3)${hint}`;
}

/** Kubernetes rounds a non-zero amount finer than 1n up, away from zero, to a whole number of nano-units. */
function roundUpToNano(mantissa: bigint, scale: number): Quantity {
  const drop = NANO_SCALE - scale;
  const magnitude = abs(mantissa);
  const sign = mantissa < 0n ? -1n : 1n;
  if (drop > magnitude.toString().length) return Quantity.of(sign, NANO_SCALE);
  const d = pow10(drop);
  const q = magnitude / d + (magnitude % d === 0n ? 0n : 1n);
  return Quantity.of(sign * q, NANO_SCALE);
}

interface Unit {
  readonly suffix: string;
  /** Power of ten (decimal suffixes) or of 1024 (binary suffixes). */
  readonly power: number;
  readonly binary: boolean;
}

/** Candidate units, in the order that breaks ties between equally short texts. */
const UNITS: readonly Unit[] = [
  { suffix: '', power: 0, binary: false },
  ...['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].map(suffix => ({ suffix, power: BINARY_SUFFIXES[suffix], binary: true })),
  ...['k', 'M', 'G', 'T', 'P', 'E', 'm', 'u', 'n'].map(suffix => ({ suffix, power: DECIMAL_SUFFIXES[suffix], binary: false })),
];

/** Fraction digits a readable amount may have in its unit (`1.5Gi`, `0.25`, `1.125Ti`). */
const MAX_FRACTION_DIGITS = 3;

/** 2^(10 * power) for each binary power, computed once. */
const BINARY_DIVISORS: readonly bigint[] = [0, 1, 2, 3, 4, 5, 6].map(p => 1024n ** BigInt(p));

/** The amount of `q` counted in `unit`, if it has at most {@link MAX_FRACTION_DIGITS} decimals there. */
function inUnit(q: Quantity, unit: Unit): Quantity | undefined {
  if (!unit.binary) {
    const amount = Quantity.of(q.mantissa, q.scale - unit.power);
    return -amount.scale > MAX_FRACTION_DIGITS ? undefined : amount;
  }
  // A normalised mantissa has no factor 10, so below 10^-3 no division by 2^n can bring the decimals back to three.
  if (q.scale < -MAX_FRACTION_DIGITS) return undefined;
  const thousandths = q.mantissa * pow10(q.scale + MAX_FRACTION_DIGITS);
  const divisor = BINARY_DIVISORS[unit.power];
  if (thousandths % divisor !== 0n) return undefined;
  return Quantity.of(thousandths / divisor, -MAX_FRACTION_DIGITS);
}

/** Plain decimal text of `q` (no exponent). */
function decimalText(q: Quantity): string {
  const neg = q.mantissa < 0n;
  const digits = abs(q.mantissa).toString();
  let text: string;
  if (q.scale >= 0) {
    text = digits + '0'.repeat(q.scale);
  } else {
    const padded = digits.padStart(-q.scale + 1, '0');
    text = `${padded.slice(0, q.scale)}.${padded.slice(q.scale)}`;
  }
  return neg ? `-${text}` : text;
}

function textIn(q: Quantity, unit: Unit): string | undefined {
  const amount = inUnit(q, unit);
  return amount === undefined ? undefined : decimalText(amount) + unit.suffix;
}

function unitOf(like: string): Unit | undefined {
  const m = NUMBER_PART.exec(like);
  if (!m || (m[2] + (m[3] ?? '')).length === 0) return undefined;
  return UNITS.find(u => u.suffix === m[4]);
}

/**
 * Readable, exact text for `q` that parses back to the same amount.
 *
 * With `like` (e.g. the parent's `64Gi`), the amount is written in that unit
 * whenever it has at most three decimals there (`80Gi`, `1.5Gi`, `2500m`).
 * Otherwise the shortest such text over all units wins (`2Gi`, `1k`, `1500m`),
 * whole numbers before fractions; huge amounts use an exponent (`1e30`).
 * @internal
 */
export function formatQuantity(q: Quantity, like?: string): string {
  const preferred = like === undefined ? undefined : unitOf(like);
  if (preferred) {
    const t = textIn(q, preferred);
    if (t !== undefined) return t;
  }
  let best: string | undefined;
  let bestWhole = false;
  for (const unit of UNITS) {
    const t = textIn(q, unit);
    if (t === undefined) continue;
    const whole = !t.includes('.');
    if (best === undefined || t.length < best.length || (t.length === best.length && whole && !bestWhole)) {
      best = t;
      bestWhole = whole;
    }
  }
  // Huge amounts read best in exponent form (1e30, not 1000000000000E); tiny ones always have a whole count of n.
  const exponent = `${q.mantissa}e${q.scale}`;
  if (best === undefined || (q.scale > 0 && exponent.length < best.length)) return exponent;
  return best;
}

/**
 * The sum of `quantities` (zero for none).
 * @internal
 */
export function sumQuantities(quantities: Iterable<Quantity>): Quantity {
  let total = ZERO;
  for (const q of quantities) total = total.add(q);
  return total;
}
