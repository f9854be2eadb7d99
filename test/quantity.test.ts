import * as fc from 'fast-check';
import { formatQuantity, parseQuantity, Quantity, quantityProblem, sumQuantities, tryParseQuantity } from '../src/domain/quantity';

const q = (s: string | number) => parseQuantity(s);
const same = (a: string | number, b: string | number) => q(a).compare(q(b)) === 0;

describe('parseQuantity: every form Kubernetes accepts', () => {
  test.each([
    ['0', 0n, 0],
    ['1', 1n, 0],
    ['+7', 7n, 0],
    ['-7', -7n, 0],
    ['1.5', 15n, -1],
    ['.5', 5n, -1],
    ['5.', 5n, 0],
    ['007', 7n, 0],
    ['100', 1n, 2],
    ['250m', 25n, -2],
    ['3n', 3n, -9],
    ['3u', 3n, -6],
    ['2k', 2n, 3],
    ['2M', 2n, 6],
    ['2G', 2n, 9],
    ['2T', 2n, 12],
    ['2P', 2n, 15],
    ['2E', 2n, 18],
    ['1Ki', 1024n, 0],
    ['1Mi', 1048576n, 0],
    ['1Gi', 1073741824n, 0],
    ['1Ti', 1099511627776n, 0],
    ['1Pi', 1125899906842624n, 0],
    ['1Ei', 1152921504606846976n, 0],
    ['1.5Ki', 1536n, 0],
    ['0.1Ki', 1024n, -1],
    ['1e3', 1n, 3],
    ['1E3', 1n, 3],
    ['1e+3', 1n, 3],
    ['1.5E-2', 15n, -3],
    ['-2.5e1', -25n, 0],
    ['1.G', 1n, 9],
  ])('%s', (text, mantissa, scale) => {
    const v = q(text);
    expect([v.mantissa, v.scale]).toEqual([mantissa, scale]);
  });

  test('JS numbers are read as their decimal text', () => {
    expect(same(4, '4')).toBe(true);
    expect(same(0.5, '500m')).toBe(true);
    expect(same(-3, '-3')).toBe(true);
    expect(same(1e21, '1e21')).toBe(true);
    expect(same(1.5e-7, '150n')).toBe(true);
    expect(same(34359738368, '32Gi')).toBe(true);
  });

  test('like Kubernetes, a non-zero amount finer than 1n is rounded up, away from zero, to whole nano-units', () => {
    expect(same('1e-12', '1n')).toBe(true);
    expect(same('0.0000000001', '1n')).toBe(true);
    expect(same('1.0000000001', '1000000001n')).toBe(true);
    expect(same('-1e-12', '-1n')).toBe(true);
    expect(same('1e-999999999999', '1n')).toBe(true);
    expect(same('0e-50', '0')).toBe(true);
  });
});

describe('parseQuantity refuses what Kubernetes refuses, and says why', () => {
  test.each([
    ['', /empty/],
    [' 1', /spaces/],
    ['1 ', /spaces/],
    ['1 Gi', /spaces/],
    ['abc', /does not start with a number/],
    ['Gi', /does not start with a number/],
    ['-', /does not start with a number/],
    ['.', /does not start with a number/],
    ['1K', /"K" is not a suffix.*did you mean "k"/],
    ['1gi', /"gi".*did you mean "Gi"/],
    ['1KB', /"KB" is not a suffix/],
    ['1e', /"e" is not a suffix/],
    ['1e3k', /"e3k" is not a suffix/],
    ['1Ki3', /"Ki3" is not a suffix/],
    ['1.2.3', /"\.3" is not a suffix/],
    ['--1', /does not start with a number/],
    ['0x10', /"x10" is not a suffix/],
    ['1e1001', /exponent/],
  ])('%j', (text, why) => {
    expect(quantityProblem(text)).toMatch(why);
    expect(() => parseQuantity(text)).toThrow(why);
    expect(() => parseQuantity(text)).toThrow(`"${text}" is not a Kubernetes quantity`);
    expect(typeof tryParseQuantity(text)).toBe('string');
  });

  test('non-finite numbers are refused', () => {
    expect(() => parseQuantity(NaN)).toThrow(/finite/);
    expect(() => parseQuantity(Infinity)).toThrow(/finite/);
  });

  test('valid text has no problem', () => {
    expect(quantityProblem('64Gi')).toBeUndefined();
    expect(tryParseQuantity('64Gi')).toBeInstanceOf(Quantity);
  });
});

describe('exact arithmetic', () => {
  test.each([
    ['1Gi + 1Gi', '2Gi'],
    ['1000m', '1'],
    ['0.5Gi', '512Mi'],
    ['1e3', '1k'],
    ['1024Mi', '1Gi'],
    ['34359738368', '32Gi'],
    ['32768Mi', '32Gi'],
    ['0.1 + 0.2', '300m'],
    ['1Ei + 1Ei + 1Ei + 1Ei + 1Ei + 1Ei + 1Ei + 1Ei', '8Ei'],
    ['9007199254740993 + 1', '9007199254740994'],
    ['1.5E-2', '15m'],
    ['-1Gi + 1Gi', '0'],
  ])('%s == %s', (sum, expected) => {
    const total = sumQuantities(sum.split(' + ').map(q));
    expect(total.compare(q(expected))).toBe(0);
    expect(total.equals(q(expected))).toBe(true);
  });

  test('unequal amounts compare by value, not by text', () => {
    expect(q('1Gi').compare(q('1G'))).toBe(1);
    expect(q('1G').compare(q('1Gi'))).toBe(-1);
    expect(q('999m').compare(q('1'))).toBe(-1);
    expect(q('-1').compare(q('0'))).toBe(-1);
    expect(q('64Gi').sub(q('32Gi')).compare(q('32Gi'))).toBe(0);
    expect(q('1Gi').add(q('1')).equals(q('1Gi'))).toBe(false);
  });

  test('zero and sign', () => {
    expect(q('0').isZero()).toBe(true);
    expect(q('0Gi').isZero()).toBe(true);
    expect(q('-0.000').isZero()).toBe(true);
    expect(q('1n').isZero()).toBe(false);
    expect(q('-1n').isNegative()).toBe(true);
    expect(q('1n').neg().equals(q('-1n'))).toBe(true);
    expect(sumQuantities([]).isZero()).toBe(true);
  });
});

describe('formatQuantity', () => {
  test.each([
    ['80Gi', '64Gi', '80Gi'],
    ['85899345920', '64Gi', '80Gi'],
    ['1.5Gi', '64Gi', '1.5Gi'],
    ['512Mi', '64Gi', '0.5Gi'],
    ['0', '64Gi', '0Gi'],
    ['2500m', '4', '2.5'],
    ['2', '500m', '2000m'],
    ['3', '1e3', '3'],
    ['1', '64Gi', '1'],
    ['64Gi', 'not a quantity', '64Gi'],
    ['-16Gi', '64Gi', '-16Gi'],
  ])('%s like %s is %s', (value, like, text) => {
    expect(formatQuantity(q(value), like)).toBe(text);
  });

  test.each([
    ['2Gi', '2Gi'],
    ['1000', '1k'],
    ['1500m', '1.5'],
    ['1.5', '1.5'],
    ['0.0005', '500u'],
    ['1n', '1n'],
    ['34359738368', '32Gi'],
    ['68719476737', '68719476737'],
    ['3', '3'],
    ['0', '0'],
    ['-2Mi', '-2Mi'],
    ['1e30', '1e30'],
    ['1e21', '1e21'],
    ['1e18', '1E'],
    ['-15e40', '-15e40'],
  ])('%s reads as %s', (value, text) => {
    expect(formatQuantity(q(value))).toBe(text);
    expect(q(value).toString()).toBe(text);
  });
});

describe('properties', () => {
  const suffix = fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e5', 'E-4', 'e+2');
  const text = fc.tuple(
    fc.constantFrom('', '-', '+'),
    fc.bigInt({ min: 0n, max: 10n ** 20n }),
    fc.option(fc.nat({ max: 10 ** 6 }).map(n => String(n)), { nil: undefined }),
    suffix,
  ).map(([sign, int, frac, suf]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}${suf}`);
  const quantity = text.map(q);
  const like = fc.option(fc.constantFrom('64Gi', '4', '500m', '1e3', '10k', '1.5Ti', '3n'), { nil: undefined });

  test('every generated text parses', () => {
    fc.assert(fc.property(text, t => quantityProblem(t) === undefined));
  });

  test('parse(format(q)) equals q, with or without a preferred unit', () => {
    fc.assert(fc.property(quantity, like, (v, l) => parseQuantity(formatQuantity(v, l)).equals(v)));
  });

  test('a quantity equals itself read back from plain integers of its unit', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), n => q(`${n}Ki`).equals(q(String(n * 1024n)))));
  });

  test('addition is commutative and associative, and compare agrees with sub', () => {
    fc.assert(fc.property(quantity, quantity, quantity, (a, b, c) => {
      expect(a.add(b).equals(b.add(a))).toBe(true);
      expect(a.add(b).add(c).equals(a.add(b.add(c)))).toBe(true);
      expect(a.add(b).sub(b).equals(a)).toBe(true);
      expect(a.compare(b)).toBe(-b.compare(a));
      expect(a.compare(b) === 0).toBe(a.equals(b));
    }));
  });
});
