import { describe, expect, it } from "vitest";
import { providerBatchSaving } from "./batch-saving.ts";

describe("providerBatchSaving", () => {
  it("doubles each half-price family's cost back to the interactive price, exactly", () => {
    expect(
      providerBatchSaving([
        { family: "openai", cost: "0.0102399" },
        { family: "anthropic", cost: "0.3" },
      ]),
    ).toEqual({ spent_usd: "0.3102399", interactive_usd: "0.6204798", saved_usd: "0.3102399" });
  });

  it("saves nothing for a family without a batch discount, and nothing at all for no jobs", () => {
    expect(providerBatchSaving([{ family: "sim", cost: "1.5" }])).toMatchObject({ saved_usd: "0" });
    expect(providerBatchSaving([])).toEqual({ spent_usd: "0", interactive_usd: "0", saved_usd: "0" });
  });
});
