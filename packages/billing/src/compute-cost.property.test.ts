import { addUsage, DecimalStringSchema, type PriceSnapshot, type Usage } from "@reasonq/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCost, sumCosts } from "./compute-cost.ts";
import { money, sum } from "./money.ts";

/** A price as an integer and a scale, so the test can compute the exact answer with BigInt. */
const priceArb = fc.record({ units: fc.integer({ min: 0, max: 10 ** 9 }), scale: fc.integer({ min: 0, max: 9 }) });
type Price = { units: number; scale: number };

const show = ({ units, scale }: Price) => {
  const digits = String(units).padStart(scale + 1, "0");
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

const tokens = fc.integer({ min: 0, max: 2_000_000_000 });
const usageArb = fc.record({ uncached: tokens, cached: tokens, write: tokens, reasoning: tokens, answer: tokens }).map(
  (t): Usage => ({
    input_tokens: t.uncached + t.cached + t.write,
    cached_input_tokens: t.cached,
    cache_write_tokens: t.write,
    output_tokens: t.reasoning + t.answer,
    reasoning_tokens: t.reasoning,
    answer_tokens: t.answer,
    reasoning_tokens_source: "provider",
  }),
);

const pricesArb = fc.record({
  input: priceArb,
  cached_input: priceArb,
  cache_write: priceArb,
  output: priceArb,
  reasoning: fc.option(priceArb, { nil: undefined }),
});
type Prices = { input: Price; cached_input: Price; cache_write: Price; output: Price; reasoning: Price | undefined };

const snapshot = (p: Prices): PriceSnapshot => ({
  currency: "USD",
  unit_prices_per_million: {
    input: show(p.input),
    cached_input: show(p.cached_input),
    cache_write: show(p.cache_write),
    output: show(p.output),
    ...(p.reasoning === undefined ? {} : { reasoning: show(p.reasoning) }),
  },
  price_source: "property test",
});

/** Σ tokens × price ÷ 10^6, in integers: the answer computeCost must match digit for digit. */
function exactTotal(u: Usage, p: Prices): string {
  const lines: Array<[number, Price]> = [
    [u.input_tokens - u.cached_input_tokens - u.cache_write_tokens, p.input],
    [u.cached_input_tokens, p.cached_input],
    [u.cache_write_tokens, p.cache_write],
    [u.reasoning_tokens, p.reasoning ?? p.output],
    [u.answer_tokens, p.output],
  ];
  const scale = 15;
  const numerator = lines.reduce(
    (acc, [n, price]) => acc + BigInt(n) * BigInt(price.units) * 10n ** BigInt(scale - 6 - price.scale),
    0n,
  );
  const digits = numerator.toString().padStart(scale + 1, "0");
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, "");
  return text === "" ? "0" : text;
}

const strings = (c: ReturnType<typeof computeCost>) => [
  c.input,
  c.cached_input,
  c.cache_write,
  c.reasoning,
  c.answer,
  c.total,
];

describe("computeCost properties", () => {
  it("is exact: the total matches integer arithmetic and the lines add up to it", () => {
    fc.assert(
      fc.property(usageArb, pricesArb, (usage, prices) => {
        const cost = computeCost(usage, snapshot(prices));
        expect(cost.total).toBe(exactTotal(usage, prices));
        const parts = sum([cost.input, cost.cached_input, cost.cache_write, cost.reasoning, cost.answer].map(money));
        expect(parts.equals(money(cost.total))).toBe(true);
      }),
    );
  });

  it("writes plain decimals: no exponent, no trailing zeros", () => {
    fc.assert(
      fc.property(usageArb, pricesArb, (usage, prices) => {
        for (const text of strings(computeCost(usage, snapshot(prices)))) {
          expect(text).not.toMatch(/e/i);
          expect(DecimalStringSchema.safeParse(text).success).toBe(true);
          expect(text).not.toMatch(/\.\d*0$/);
        }
      }),
    );
  });

  it("never costs less with more tokens", () => {
    const grow: Record<string, (u: Usage, n: number) => Usage> = {
      uncached: (u, n) => ({ ...u, input_tokens: u.input_tokens + n }),
      cached: (u, n) => ({ ...u, input_tokens: u.input_tokens + n, cached_input_tokens: u.cached_input_tokens + n }),
      write: (u, n) => ({ ...u, input_tokens: u.input_tokens + n, cache_write_tokens: u.cache_write_tokens + n }),
      reasoning: (u, n) => ({ ...u, output_tokens: u.output_tokens + n, reasoning_tokens: u.reasoning_tokens + n }),
      answer: (u, n) => ({ ...u, output_tokens: u.output_tokens + n, answer_tokens: u.answer_tokens + n }),
    };
    const which = fc.constantFrom(...Object.keys(grow));
    fc.assert(
      fc.property(usageArb, pricesArb, which, fc.integer({ min: 1, max: 10 ** 6 }), (usage, prices, kind, extra) => {
        const more = (grow[kind] as (u: Usage, n: number) => Usage)(usage, extra);
        const before = money(computeCost(usage, snapshot(prices)).total);
        expect(money(computeCost(more, snapshot(prices)).total).gte(before)).toBe(true);
      }),
    );
  });

  it("bills reasoning at the output price unless a reasoning price is given", () => {
    fc.assert(
      fc.property(tokens, pricesArb, (n, prices) => {
        const only = (reasoning: number, answer: number): Usage => ({
          input_tokens: 0,
          cached_input_tokens: 0,
          cache_write_tokens: 0,
          output_tokens: reasoning + answer,
          reasoning_tokens: reasoning,
          answer_tokens: answer,
          reasoning_tokens_source: "provider",
        });
        const noReasoningPrice = snapshot({ ...prices, reasoning: undefined });
        expect(computeCost(only(n, 0), noReasoningPrice).reasoning).toBe(
          computeCost(only(0, n), noReasoningPrice).answer,
        );
        if (prices.reasoning !== undefined) {
          const withPrice = snapshot({ ...prices, output: prices.reasoning });
          expect(computeCost(only(n, 0), snapshot(prices)).reasoning).toBe(computeCost(only(0, n), withPrice).answer);
        }
      }),
    );
  });

  it("sums attempts to the cost of their summed usage", () => {
    fc.assert(
      fc.property(fc.array(usageArb, { minLength: 1, maxLength: 5 }), pricesArb, (usages, prices) => {
        const snap = snapshot(prices);
        const costs = usages.map((u) => computeCost(u, snap));
        const summed = sumCosts(costs as [(typeof costs)[number], ...typeof costs]);
        const whole = computeCost(usages.reduce(addUsage), snap);
        expect(strings(summed)).toEqual(strings(whole));
      }),
    );
  });
});
