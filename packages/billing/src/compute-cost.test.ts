import { type PriceSnapshot, ReasonqError, type Usage, ZERO_USAGE } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { computeCost, sumCosts } from "./compute-cost.ts";
import { priceSnapshotFor } from "./price-catalog.ts";

const snapshot: PriceSnapshot = {
  currency: "USD",
  unit_prices_per_million: { input: "3", cached_input: "0.30", cache_write: "3.75", output: "15" },
  price_source: "anthropic pricing, as of 2025-05-22",
};

const usage: Usage = {
  input_tokens: 100,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 500,
  reasoning_tokens: 350,
  answer_tokens: 150,
  reasoning_tokens_source: "provider",
};

describe("computeCost", () => {
  it("prices the SPEC example line by line", () => {
    expect(computeCost(usage, snapshot)).toEqual({
      currency: "USD",
      input: "0.0003",
      cached_input: "0",
      cache_write: "0",
      reasoning: "0.00525",
      answer: "0.00225",
      total: "0.0078",
      unit_prices_per_million: snapshot.unit_prices_per_million,
      price_source: "anthropic pricing, as of 2025-05-22",
    });
  });

  it("bills cache reads and writes as parts of the input, not on top", () => {
    const cached = { ...usage, input_tokens: 1_000_000, cached_input_tokens: 600_000, cache_write_tokens: 100_000 };
    expect(computeCost(cached, snapshot)).toMatchObject({ input: "0.9", cached_input: "0.18", cache_write: "0.375" });
  });

  it("uses a separate reasoning price when the catalog has one", () => {
    const priced = { ...snapshot, unit_prices_per_million: { ...snapshot.unit_prices_per_million, reasoning: "10" } };
    expect(computeCost(usage, priced).reasoning).toBe("0.0035");
  });

  it("is zero for no usage", () => {
    expect(computeCost(ZERO_USAGE, snapshot).total).toBe("0");
  });

  it("refuses usage that breaks the invariants", () => {
    const broken = [
      { ...usage, cached_input_tokens: 101 },
      { ...usage, answer_tokens: 151 },
    ];
    for (const u of broken) expect(() => computeCost(u, snapshot)).toThrow(ReasonqError);
  });
});

describe("1-hour cache writes", () => {
  it("are priced at the 1-hour rate: 1M of them cost $6 on Claude Sonnet 4.6, not $3.75", () => {
    const snapshot = priceSnapshotFor("anthropic/claude-sonnet-4-6", new Date("2026-11-01T00:00:00Z"));
    expect(snapshot.unit_prices_per_million).toMatchObject({ cache_write: "3.75", cache_write_1h: "6" });
    const writes: Usage = {
      ...ZERO_USAGE,
      input_tokens: 1_500_000,
      cache_write_tokens: 1_500_000,
      cache_write_1h_tokens: 1_000_000,
    };
    // 0.5M at the 5-minute rate + 1M at the 1-hour rate.
    expect(computeCost(writes, snapshot).cache_write).toBe("7.875");
  });
});

describe("sumCosts", () => {
  it("adds attempts line by line", () => {
    const one = computeCost(usage, snapshot);
    expect(sumCosts([one, one, one])).toMatchObject({ input: "0.0009", reasoning: "0.01575", total: "0.0234" });
  });

  it("adds attempts priced from different snapshots exactly and names every snapshot", () => {
    const peak = { ...snapshot, unit_prices_per_million: { ...snapshot.unit_prices_per_million, output: "30" } };
    const other = computeCost(usage, { ...peak, price_source: "another list" });
    const summed = sumCosts([computeCost(usage, snapshot), other]);
    expect(summed.total).toBe("0.0231");
    expect(summed.unit_prices_per_million.output).toBe("30");
    expect(summed.price_source).toBe("2 price snapshots: anthropic pricing, as of 2025-05-22 | another list");
  });
});
