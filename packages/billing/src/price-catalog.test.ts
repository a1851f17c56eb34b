import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ReasonqError, type UnitPrices } from "@reasonq/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPriceCatalog, priceCatalog, priceFor, priceSnapshotFor } from "./price-catalog.ts";
import { LIBRARY_DATA_DATE, LIBRARY_VERSION } from "./prices/library-prices.ts";
import { MODELS_WITHOUT_PUBLIC_PRICE } from "./prices/reviewed-prices.ts";

const prices = (output: string) => ({ input: "1", cached_input: "0.1", cache_write: "1.25", output });
const unit = (input: string, cached_input: string, cache_write: string, output: string): UnitPrices => ({
  input,
  cached_input,
  cache_write,
  output,
});
const LIBRARY = `@pydantic/genai-prices ${LIBRARY_VERSION} (data ${LIBRARY_DATA_DATE})`;
const NOW = new Date("2026-11-22T12:00:00Z");

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("price catalog", () => {
  it("prices the sim models", () => {
    expect(priceSnapshotFor("sim/reasoner", new Date("2026-11-22T00:00:00Z"))).toEqual({
      currency: "USD",
      unit_prices_per_million: { input: "1.00", cached_input: "0.10", cache_write: "1.25", output: "4.00" },
      price_source: "reasonq sim price list, as of 2026-11-01",
    });
    for (const id of ["sim/hasty", "sim/echo"]) {
      expect(priceSnapshotFor(id, new Date("2026-11-22")).unit_prices_per_million.output).not.toBe("0");
    }
  });

  it("picks the entry in force at the given time", () => {
    const catalog = createPriceCatalog([
      { model: "acme/m", effective_from: "2026-01-01", prices: prices("4"), source: "acme list, as of 2026-01-01" },
      { model: "acme/m", effective_from: "2026-06-01", prices: prices("2"), source: "acme list, as of 2026-06-01" },
    ]);
    const at = (iso: string) => catalog.snapshotFor("acme/m", new Date(iso));
    expect(at("2026-05-31T23:59:59Z").unit_prices_per_million.output).toBe("4");
    expect(at("2026-06-01T00:00:00Z")).toMatchObject({ price_source: "acme list, as of 2026-06-01" });
    expect(at("2027-01-01T00:00:00Z").unit_prices_per_million.output).toBe("2");
  });

  it("refuses a model without a price, saying so", () => {
    const error = errorOf(() => priceSnapshotFor("sim/unknown", new Date()));
    expect(ReasonqError.is(error) && error.type).toBe("unknown_model");
    expect((error as Error).message).toContain("no price");
    expect(() => priceSnapshotFor("sim/reasoner", new Date("2020-01-01"))).toThrow(/prices start on 2026-01-01/);
  });

  it("leaves theagentic/agentic-large unpriced: no public price, no placeholder", () => {
    expect(Object.keys(MODELS_WITHOUT_PUBLIC_PRICE)).toEqual(["theagentic/agentic-large"]);
    const error = errorOf(() => priceSnapshotFor("theagentic/agentic-large", NOW));
    expect(ReasonqError.is(error) && error.type).toBe("unknown_model");
    expect((error as Error).message).toMatch(/no price for model "theagentic\/agentic-large"/);
  });

  it("rejects malformed entries", () => {
    const entry = { model: "a/b", effective_from: "2026-01-01", prices: prices("1"), source: "s" };
    expect(() => createPriceCatalog([{ ...entry, effective_from: "Jan 2026" }])).toThrow(/YYYY-MM-DD/);
    expect(() => createPriceCatalog([{ ...entry, prices: prices("1e-6") }])).toThrow();
    expect(() => createPriceCatalog([entry, entry])).toThrow(/two prices/);
    const tier = { above_input_tokens: 10, prices: prices("2") };
    expect(() => createPriceCatalog([{ ...entry, tiers: [tier, tier] }])).toThrow(/increasing/);
    const peak = {
      utc_offset_minutes: 0,
      days: [8],
      windows: [["09:00", "12:00"] as const],
      prices: prices("2"),
      label: "peak",
      otherwise_label: "off-peak",
    };
    expect(() => createPriceCatalog([{ ...entry, peak }])).toThrow(/peak hours/);
  });
});

describe("price catalog: @pydantic/genai-prices", () => {
  afterEach(() => vi.restoreAllMocks());

  it("uses the pinned library version, whose data the prices below were reviewed against", () => {
    const entry = createRequire(import.meta.url).resolve("@pydantic/genai-prices");
    const manifest = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as {
      version: string;
    };
    expect(manifest.version).toBe(LIBRARY_VERSION);
  });

  it("never fetches: prices come from the bundled data only", () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const catalog = createPriceCatalog();
    for (const id of ["openai/o3", "google/gemini-2.5-pro", "xai/grok-4", "openrouter/anthropic/claude-sonnet-4.5"]) {
      catalog.snapshotFor(id, NOW, { inputTokens: 300_000 });
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  /**
   * The seed models and the current ones of each family: their unit prices per million on
   * 2026-11-22 for a short prompt, and the list they come from. This is the list of the ids
   * reasonq prices (docs/pricing.md shows the same table).
   */
  const PRICED: ReadonlyArray<[string, UnitPrices, "library" | "reviewed"]> = [
    // Seed models
    ["openai/o1", unit("15", "7.5", "15", "60"), "library"],
    ["openai/o1-mini", unit("1.1", "0.55", "1.1", "4.4"), "library"],
    ["openai/o3", unit("2", "0.5", "2", "8"), "library"],
    ["openai/o3-mini", unit("1.1", "0.55", "1.1", "4.4"), "library"],
    ["openai/o4-mini", unit("1.1", "0.275", "1.1", "4.4"), "library"],
    ["anthropic/claude-sonnet-4-20250514", unit("3", "0.3", "3.75", "15"), "library"],
    ["anthropic/claude-opus-4-20250514", unit("15", "1.5", "18.75", "75"), "library"],
    ["google/gemini-2.5-pro", unit("1.25", "0.125", "1.25", "10"), "library"],
    ["google/gemini-2.5-flash", unit("0.3", "0.03", "0.3", "2.5"), "library"],
    ["deepseek/deepseek-reasoner", unit("0.14", "0.0028", "0.14", "0.28"), "reviewed"],
    // OpenAI gpt-5.x
    ["openai/gpt-5", unit("1.25", "0.125", "1.25", "10"), "library"],
    ["openai/gpt-5-mini", unit("0.25", "0.025", "0.25", "2"), "library"],
    ["openai/gpt-5-pro", unit("15", "15", "15", "120"), "library"],
    ["openai/gpt-5.1", unit("1.25", "0.125", "1.25", "10"), "library"],
    ["openai/gpt-5.2", unit("1.75", "0.175", "1.75", "14"), "library"],
    ["openai/gpt-5.4", unit("2.5", "0.25", "2.5", "15"), "library"],
    ["openai/gpt-5.5", unit("5", "0.5", "5", "30"), "library"],
    ["openai/gpt-5.5-pro", unit("30", "30", "30", "180"), "library"],
    ["openai/gpt-5.6-sol", unit("4", "0.4", "5", "20"), "library"],
    ["openai/gpt-5.6-terra", unit("2", "0.2", "2.5", "12"), "library"],
    ["openai/gpt-5.6-luna", unit("0.2", "0.02", "0.25", "1.2"), "library"],
    // Anthropic 4.x, 4.5, 4.6+ and 5
    ["anthropic/claude-sonnet-4-5", unit("3", "0.3", "3.75", "15"), "library"],
    ["anthropic/claude-sonnet-4-6", unit("3", "0.3", "3.75", "15"), "library"],
    ["anthropic/claude-opus-4-1", unit("15", "1.5", "18.75", "75"), "library"],
    ["anthropic/claude-opus-4-5", unit("5", "0.5", "6.25", "25"), "library"],
    ["anthropic/claude-opus-4-6", unit("5", "0.5", "6.25", "25"), "library"],
    ["anthropic/claude-opus-4-7", unit("5", "0.5", "6.25", "25"), "library"],
    ["anthropic/claude-opus-4-8", unit("5", "0.5", "6.25", "25"), "library"],
    ["anthropic/claude-haiku-4-5", unit("1", "0.1", "1.25", "5"), "library"],
    ["anthropic/claude-sonnet-5", unit("2", "0.2", "2.5", "10"), "library"],
    ["anthropic/claude-opus-5", unit("5", "0.5", "6.25", "25"), "library"],
    ["anthropic/claude-opus-5-5", unit("4", "0.2", "5", "20"), "library"],
    ["anthropic/claude-sonnet-5-5", unit("2", "0.20", "2.50", "10"), "reviewed"],
    ["anthropic/claude-haiku-5-5", unit("0.10", "0.01", "0.125", "0.50"), "reviewed"],
    // Gemini 2.5 and 3.x
    ["google/gemini-3-pro-preview", unit("2", "0.2", "2", "12"), "library"],
    ["google/gemini-3.1-pro-preview", unit("2", "0.2", "2", "12"), "library"],
    ["google/gemini-3-flash-preview", unit("0.5", "0.05", "0.5", "3"), "library"],
    ["google/gemini-3.5-flash", unit("1.5", "0.15", "1.5", "9"), "library"],
    ["google/gemini-3.8-flash", unit("0.75", "0.075", "0.75", "3.75"), "library"],
    // DeepSeek V4
    ["deepseek/deepseek-flash", unit("0.15", "0.003", "0.15", "0.60"), "reviewed"],
    ["deepseek/deepseek-v4-flash", unit("0.15", "0.003", "0.15", "0.60"), "reviewed"],
    ["deepseek/deepseek-v4-pro", unit("0.66", "0.022", "0.66", "1.98"), "reviewed"],
    // xAI Grok 4 reasoning models
    ["xai/grok-3-mini", unit("0.3", "0.075", "0.3", "0.5"), "library"],
    ["xai/grok-4", unit("3", "0.75", "3", "15"), "library"],
    ["xai/grok-4-fast-reasoning", unit("0.2", "0.05", "0.2", "0.5"), "library"],
    ["xai/grok-4-1-fast-reasoning", unit("0.2", "0.05", "0.2", "0.5"), "library"],
    ["xai/grok-4.3", unit("1.25", "0.2", "1.25", "2.5"), "library"],
    ["xai/grok-4.5", unit("2", "0.3", "2", "6"), "library"],
    ["xai/grok-4.6", unit("2", "0.5", "2", "6"), "library"],
    // OpenRouter, at OpenRouter's own prices
    ["openrouter/anthropic/claude-sonnet-4.5", unit("3", "0.3", "3.75", "15"), "library"],
    ["openrouter/deepseek/deepseek-r1", unit("0.45", "0.45", "0.45", "2.15"), "library"],
  ];

  it.each(PRICED)("prices %s", (id, expected, list) => {
    // 2026-11-22 is a Sunday: DeepSeek is off-peak all day.
    const snapshot = priceSnapshotFor(id, NOW, { inputTokens: 1000 });
    const { cache_write_1h: longWrite, ...prices } = snapshot.unit_prices_per_million;
    expect(prices).toEqual(expected);
    // Anthropic's 1-hour cache writes cost more than the 5-minute ones; no other family has them.
    if (id.startsWith("anthropic/") && list === "library")
      expect(Number(longWrite)).toBeGreaterThan(Number(prices.cache_write));
    else expect(longWrite).toBeUndefined();
    expect(snapshot.price_source).toContain(list === "library" ? LIBRARY : "reasonq reviewed price list");
  });

  it("follows dated price changes (o3's cut of 2025-06-10)", () => {
    expect(priceSnapshotFor("openai/o3", new Date("2025-06-09T23:59:59Z")).unit_prices_per_million.output).toBe("40");
    const after = priceSnapshotFor("openai/o3", new Date("2025-06-10T00:00:00Z"));
    expect(after.unit_prices_per_million.output).toBe("8");
    expect(after.price_source).toBe(
      `${LIBRARY}; OpenAI pricing https://developers.openai.com/api/docs/pricing, in force from 2025-06-10`,
    );
  });

  it("picks the long-context tier from the attempt's prompt size (Gemini 2.5 Pro above 200k)", () => {
    const at = (inputTokens: number) => priceSnapshotFor("google/gemini-2.5-pro", NOW, { inputTokens });
    expect(at(200_000).unit_prices_per_million).toEqual(unit("1.25", "0.125", "1.25", "10"));
    const above = at(200_001);
    expect(above.unit_prices_per_million).toEqual(unit("2.5", "0.25", "2.5", "15"));
    expect(above.price_source).toContain("long-context rate (prompt of 200001 tokens or more)");
    expect(priceFor("google/gemini-2.5-pro", NOW, { input_tokens: 250_000 })).toEqual(above);
    // gpt-5.5: the library encodes "272K or more" as a start of 271999.
    expect(priceSnapshotFor("openai/gpt-5.5", NOW, { inputTokens: 271_999 }).unit_prices_per_million.output).toBe("30");
    expect(priceSnapshotFor("openai/gpt-5.5", NOW, { inputTokens: 272_000 }).unit_prices_per_million.output).toBe("45");
  });

  it("combines a dated change with tiers (Claude Opus 4.6: tiered until 2026-03-13, flat after)", () => {
    const big = { inputTokens: 500_000 };
    expect(
      priceSnapshotFor("anthropic/claude-opus-4-6", new Date("2026-03-12T12:00:00Z"), big).unit_prices_per_million,
    ).toMatchObject(unit("10", "1", "12.5", "37.5"));
    expect(
      priceSnapshotFor("anthropic/claude-opus-4-6", new Date("2026-03-13T00:00:00Z"), big).unit_prices_per_million,
    ).toMatchObject(unit("5", "0.5", "6.25", "25"));
  });

  it("never gives a newer model an older one's price through the library's prefix matching", () => {
    // The library's claude-sonnet-5 entry matches any name starting "claude-sonnet-5".
    expect(() => createPriceCatalog([], { reviewed: [] }).snapshotFor("anthropic/claude-sonnet-5-5", NOW)).toThrow(
      /no price/,
    );
    expect(() => priceSnapshotFor("anthropic/claude-sonnet-5-9", NOW)).toThrow(/no price/);
    expect(() => priceSnapshotFor("openai/o3-pro-max", NOW)).toThrow(/no price/);
  });

  it("prices day-0 models from the reviewed table, with their tiers (Claude Haiku 5.5 above 100k)", () => {
    const long = priceSnapshotFor("anthropic/claude-haiku-5-5", NOW, { inputTokens: 100_001 });
    expect(long.unit_prices_per_million).toEqual(unit("0.50", "0.05", "0.625", "2.50"));
    expect(() => priceSnapshotFor("anthropic/claude-haiku-5-5", new Date("2026-10-06T23:59:59Z"))).toThrow(
      /prices start on 2026-10-07/,
    );
  });

  it("resolves the library's aliases and dated snapshots", () => {
    expect(priceSnapshotFor("openai/o3-2025-04-16", NOW)).toEqual(priceSnapshotFor("openai/o3", NOW));
    expect(priceSnapshotFor("anthropic/claude-sonnet-4-5-20250929", NOW).unit_prices_per_million.output).toBe("15");
    expect(priceSnapshotFor("openrouter/anthropic/claude-sonnet-4.5", NOW).price_source).toContain(
      "OpenRouter pricing",
    );
  });

  it("keeps a separate reasoning price where the library has one", () => {
    const p = priceSnapshotFor("openrouter/perplexity/sonar-deep-research", NOW).unit_prices_per_million;
    expect(p).toMatchObject({ output: "8", reasoning: "3" });
  });

  it("applies a provider's batch discount on request", () => {
    const batch = priceSnapshotFor("anthropic/claude-sonnet-4-20250514", NOW, { providerBatch: true });
    expect(batch.unit_prices_per_million).toEqual({ ...unit("1.5", "0.15", "1.875", "7.5"), cache_write_1h: "3" });
    expect(batch.price_source).toContain("Message Batches");
    expect(() => priceSnapshotFor("deepseek/deepseek-flash", NOW, { providerBatch: true })).toThrow(
      /no batch discount/,
    );
  });
});

describe("price catalog: overrides", () => {
  it("lets user entries (reasonq.config) take precedence from their date on", () => {
    const catalog = createPriceCatalog([
      {
        model: "openai/o3",
        effective_from: "2026-12-01",
        prices: unit("1", "0.25", "1", "4"),
        source: "negotiated price, reasonq.config.json",
      },
      { model: "acme/day0", effective_from: "2026-11-01", prices: prices("3"), source: "acme launch post" },
    ]);
    expect(catalog.snapshotFor("openai/o3", new Date("2026-11-30T23:59:59Z")).price_source).toContain(LIBRARY);
    expect(catalog.snapshotFor("openai/o3", new Date("2026-12-01T00:00:00Z"))).toEqual({
      currency: "USD",
      unit_prices_per_million: unit("1", "0.25", "1", "4"),
      price_source: "negotiated price, reasonq.config.json",
    });
    expect(catalog.snapshotFor("acme/day0", NOW).unit_prices_per_million.output).toBe("3");
    expect(catalog.historyOf("openai/o3").map((layer) => layer.length)).toEqual([1, 2]);
  });

  it("can leave the library out", () => {
    const catalog = createPriceCatalog([], { library: false });
    expect(() => catalog.snapshotFor("openai/o3", NOW)).toThrow(/no price/);
    expect(catalog.snapshotFor("sim/echo", NOW).unit_prices_per_million.output).toBe("0.40");
  });
});

describe("price catalog: DeepSeek by the hour", () => {
  const at = (id: string, iso: string) => priceSnapshotFor(id, new Date(iso));
  const flash = (iso: string) => at("deepseek/deepseek-flash", iso);

  it("bills peak hours (Beijing weekdays 09:00-12:00 and 14:00-18:00) at twice off-peak", () => {
    // Monday 2026-11-23: 01:00Z is 09:00 Beijing.
    expect(flash("2026-11-23T00:59:59Z").unit_prices_per_million).toEqual(unit("0.15", "0.003", "0.15", "0.60"));
    const peak = flash("2026-11-23T01:00:00Z");
    expect(peak.unit_prices_per_million).toEqual(unit("0.30", "0.006", "0.30", "1.20"));
    expect(peak.price_source).toContain("peak hours (Beijing weekdays 09:00-12:00, 14:00-18:00)");
    expect(flash("2026-11-23T03:59:59Z").unit_prices_per_million.output).toBe("1.20");
    expect(flash("2026-11-23T04:00:00Z").unit_prices_per_million.output).toBe("0.60");
    expect(flash("2026-11-23T06:00:00Z").unit_prices_per_million.output).toBe("1.20");
    expect(flash("2026-11-23T10:00:00Z").price_source).toMatch(/off-peak$/);
  });

  it("bills Beijing weekends off-peak all day since 2026-08-23 00:00 Beijing time", () => {
    // Saturday 2026-08-22, 02:00Z = 10:00 Beijing Saturday: peak before the weekend rule.
    expect(at("deepseek/deepseek-v4-pro", "2026-08-22T02:00:00Z").unit_prices_per_million.output).toBe("3.96");
    // Sunday 2026-08-23, 02:00Z = 10:00 Beijing Sunday: off-peak.
    expect(at("deepseek/deepseek-v4-pro", "2026-08-23T02:00:00Z").unit_prices_per_million.output).toBe("1.98");
    // Friday 2026-11-27 20:00Z is already Saturday in Beijing; Sunday 2026-11-29 17:00Z is Monday 01:00.
    expect(flash("2026-11-29T17:00:00Z").price_source).toMatch(/off-peak$/);
    expect(flash("2026-11-30T01:30:00Z").price_source).toContain("peak hours");
  });

  it("switches prices at DeepSeek's own instants, not at UTC midnight", () => {
    expect(at("deepseek/deepseek-v4-flash", "2026-08-16T15:59:59Z").unit_prices_per_million.output).toBe("0.28");
    expect(at("deepseek/deepseek-v4-flash", "2026-08-16T16:00:00Z").unit_prices_per_million.output).toBe("0.66");
    // 2026-09-10T03:59:59Z is 11:59:59 on a Thursday in Beijing: V4 Flash's last peak second.
    expect(at("deepseek/deepseek-v4-flash", "2026-09-10T03:59:59Z").unit_prices_per_million.output).toBe("1.32");
    expect(at("deepseek/deepseek-v4-flash", "2026-09-10T04:00:00Z").unit_prices_per_million.output).toBe("0.60");
    expect(() => flash("2026-09-10T03:59:59Z")).toThrow(/prices start on 2026-09-10T04:00:00Z/);
  });

  it("keeps deepseek-reasoner's history: night discount, then its cancellation on 2025-09-05", () => {
    expect(at("deepseek/deepseek-reasoner", "2025-03-01T17:00:00Z").unit_prices_per_million.output).toBe("0.55");
    expect(at("deepseek/deepseek-reasoner", "2025-03-01T12:00:00Z").unit_prices_per_million.output).toBe("2.19");
    expect(at("deepseek/deepseek-reasoner", "2025-09-05T17:00:00Z").unit_prices_per_million.output).toBe("1.68");
    expect(at("deepseek/deepseek-reasoner", "2025-10-01T00:00:00Z").unit_prices_per_million.output).toBe("0.42");
  });

  it("gives estimates the peak rate whatever the hour", () => {
    const max = priceCatalog.maxSnapshotFor("deepseek/deepseek-flash", NOW);
    expect(max.unit_prices_per_million).toEqual(unit("0.3", "0.006", "0.3", "1.2"));
  });
});
