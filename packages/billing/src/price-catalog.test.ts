import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { createPriceCatalog, priceSnapshotFor } from "./price-catalog.ts";

const prices = (output: string) => ({ input: "1", cached_input: "0.1", cache_write: "1.25", output });

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
    const error = (() => {
      try {
        priceSnapshotFor("sim/unknown", new Date());
      } catch (e) {
        return e;
      }
    })();
    expect(ReasonqError.is(error) && error.type).toBe("unknown_model");
    expect((error as Error).message).toContain("no price");
    expect(() => priceSnapshotFor("sim/reasoner", new Date("2020-01-01"))).toThrow(/prices start on 2026-01-01/);
  });

  it("rejects malformed entries", () => {
    const entry = { model: "a/b", effective_from: "2026-01-01", prices: prices("1"), source: "s" };
    expect(() => createPriceCatalog([{ ...entry, effective_from: "Jan 2026" }])).toThrow(/YYYY-MM-DD/);
    expect(() => createPriceCatalog([{ ...entry, prices: prices("1e-6") }])).toThrow();
    expect(() => createPriceCatalog([entry, entry])).toThrow(/two prices/);
  });
});
