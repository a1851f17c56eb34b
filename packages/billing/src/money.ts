import { Decimal } from "decimal.js";

/**
 * Decimal arithmetic for money. The precision is far above anything a token count times a
 * unit price can need, so sums and products are exact and no line is ever rounded.
 */
const Exact = Decimal.clone({ precision: 1000, toExpNeg: -9e15, toExpPos: 9e15 });
export type Money = Decimal;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** From a decimal string only: a float never becomes money. */
export function money(value: string): Money {
  if (!DECIMAL.test(value)) throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  return new Exact(value);
}

export const ZERO: Money = money("0");

/** `price` per million tokens × `tokens`, exactly. */
export function tokensCost(tokens: number, pricePerMillion: string): Money {
  if (!Number.isSafeInteger(tokens) || tokens < 0)
    throw new RangeError(`token count must be a non-negative integer: ${tokens}`);
  return money(String(tokens)).times(money(pricePerMillion)).dividedBy(money("1000000"));
}

/** Plain notation, trailing zeros trimmed: "0.00525", "0", never "5.25e-3". */
export function toDecimalString(value: Money): string {
  const text = value.toFixed();
  return text === "-0" ? "0" : text;
}

export function sum(values: readonly Money[]): Money {
  return values.reduce((acc, v) => acc.plus(v), ZERO);
}

/** The larger of two amounts. */
export function maxMoney(a: Money, b: Money): Money {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

/**
 * A price read from a data file as a JavaScript number, back to the decimal the file wrote.
 * `String(n)` is the shortest text that reads back as the same number, so for a literal of
 * at most 15 significant digits it is that literal (`0.003625`, `1e-7`): no float error
 * reaches the money. Longer literals are refused, since their digits may already be lost.
 */
export function decimalFromNumber(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a price: ${n}`);
  const value = new Exact(String(n));
  if (value.precision(true) > 15) throw new RangeError(`price ${n} has more digits than a number keeps exactly`);
  return toDecimalString(value);
}

/** Adds amounts kept as strings (attempt costs, batch totals) without leaving decimal arithmetic. */
export function addDecimalStrings(values: readonly string[]): string {
  return toDecimalString(sum(values.map(money)));
}
