import type { ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { GOOGLE_MODELS } from "./google-models.ts";
import { mapGoogleReasoning } from "./map-google-reasoning.ts";

function model(name: string): ModelInfo {
  const found = GOOGLE_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(name);
  return found;
}
const PRO = model("gemini-2.5-pro");
const FLASH = model("gemini-2.5-flash");
const PRO3 = model("gemini-3.1-pro-preview");
const FLASH3 = model("gemini-3.8-flash");

const r = (over: Partial<ResolvedReasoning> = {}): ResolvedReasoning => ({ include: true, enabled: true, ...over });

describe("mapGoogleReasoning — Gemini 2.5 (thinkingBudget)", () => {
  it.each([
    ["minimal", 512],
    ["low", 1024],
    ["medium", 8192],
    ["high", 24576],
  ] as const)("maps effort %s to %i without a warning", (effort, budget) => {
    for (const m of [PRO, FLASH]) {
      expect(mapGoogleReasoning(r({ effort }), m)).toEqual({
        value: { thinkingBudget: budget, includeThoughts: true },
        warnings: [],
      });
    }
  });

  it("maps max to the model's ceiling and caps xhigh with a warning where needed", () => {
    expect(mapGoogleReasoning(r({ effort: "max" }), PRO).value).toEqual({
      thinkingBudget: 32768,
      includeThoughts: true,
    });
    expect(mapGoogleReasoning(r({ effort: "max" }), FLASH)).toEqual({
      value: { thinkingBudget: 24576, includeThoughts: true },
      warnings: [],
    });
    expect(mapGoogleReasoning(r({ effort: "xhigh" }), PRO)).toEqual({
      value: { thinkingBudget: 32768, includeThoughts: true },
      warnings: [],
    });
    const flash = mapGoogleReasoning(r({ effort: "xhigh" }), FLASH);
    expect(flash.value).toEqual({ thinkingBudget: 24576, includeThoughts: true });
    expect(flash.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
  });

  it("passes a budget in range, and clamps one outside with a warning", () => {
    expect(mapGoogleReasoning(r({ budget_tokens: 3000 }), FLASH)).toEqual({
      value: { thinkingBudget: 3000, includeThoughts: true },
      warnings: [],
    });
    const high = mapGoogleReasoning(r({ budget_tokens: 50_000 }), FLASH);
    expect(high.value).toEqual({ thinkingBudget: 24576, includeThoughts: true });
    expect(high.warnings).toEqual([expect.objectContaining({ field: "reasoning.budget_tokens" })]);
    const low = mapGoogleReasoning(r({ budget_tokens: 0 }), PRO);
    expect(low.value).toEqual({ thinkingBudget: 128, includeThoughts: true });
    expect(low.warnings).toHaveLength(1);
  });

  it("turns 2.5 Flash off with budget 0, and refuses to turn 2.5 Pro off", () => {
    expect(mapGoogleReasoning(r({ enabled: false }), FLASH)).toEqual({ value: { thinkingBudget: 0 }, warnings: [] });
    expect(mapGoogleReasoning(r({ budget_tokens: 0 }), FLASH)).toEqual({ value: { thinkingBudget: 0 }, warnings: [] });
    expect(() => mapGoogleReasoning(r({ enabled: false }), PRO)).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.enabled" }),
    );
  });

  it("maps adaptive to dynamic (-1), sends nothing by default, and omits includeThoughts when include is false", () => {
    expect(mapGoogleReasoning(r({ adaptive: true }), PRO).value).toEqual({ thinkingBudget: -1, includeThoughts: true });
    expect(mapGoogleReasoning(r(), FLASH)).toEqual({ value: { includeThoughts: true }, warnings: [] });
    expect(mapGoogleReasoning(r({ include: false }), FLASH)).toEqual({ value: undefined, warnings: [] });
    expect(mapGoogleReasoning(r({ include: false, effort: "low" }), FLASH).value).toEqual({ thinkingBudget: 1024 });
  });
});

describe("mapGoogleReasoning — Gemini 3.x (thinkingLevel)", () => {
  it("maps efforts to levels, the nearest one with a warning when the model lacks it", () => {
    expect(mapGoogleReasoning(r({ effort: "medium" }), PRO3)).toEqual({
      value: { thinkingLevel: "MEDIUM", includeThoughts: true },
      warnings: [],
    });
    const minimal = mapGoogleReasoning(r({ effort: "minimal" }), FLASH3);
    expect(minimal.value).toEqual({ thinkingLevel: "LOW", includeThoughts: true });
    expect(minimal.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.effort" })]);
    const xhigh = mapGoogleReasoning(r({ effort: "xhigh" }), PRO3);
    expect(xhigh.value).toEqual({ thinkingLevel: "HIGH", includeThoughts: true });
    expect(xhigh.warnings).toHaveLength(1);
    expect(mapGoogleReasoning(r({ effort: "max" }), PRO3)).toEqual({
      value: { thinkingLevel: "HIGH", includeThoughts: true },
      warnings: [],
    });
  });

  it("maps a budget to the largest level that fits it, always with a warning", () => {
    const mapped = mapGoogleReasoning(r({ budget_tokens: 10_000 }), FLASH3);
    expect(mapped.value).toEqual({ thinkingLevel: "MEDIUM", includeThoughts: true });
    expect(mapped.warnings).toEqual([expect.objectContaining({ field: "reasoning.budget_tokens" })]);
    expect(mapGoogleReasoning(r({ budget_tokens: 100 }), PRO3).value?.thinkingLevel).toBe("LOW");
    expect(mapGoogleReasoning(r({ budget_tokens: 200_000 }), PRO3).value?.thinkingLevel).toBe("HIGH");
  });

  it("never sends a budget and a level together", () => {
    const controls: Partial<ResolvedReasoning>[] = [
      {},
      { effort: "low" },
      { effort: "max" },
      { budget_tokens: 5000 },
      { adaptive: true },
      { include: false },
    ];
    for (const m of [PRO, FLASH, PRO3, FLASH3]) {
      for (const control of controls) {
        const value = mapGoogleReasoning(r(control), m).value ?? {};
        expect("thinkingBudget" in value && "thinkingLevel" in value).toBe(false);
      }
    }
  });

  it("refuses to turn thinking off, naming the least it offers", () => {
    expect(() => mapGoogleReasoning(r({ enabled: false }), FLASH3)).toThrow(/thinkingLevel LOW/);
  });

  it("leaves the level to the model for adaptive and for no control", () => {
    expect(mapGoogleReasoning(r({ adaptive: true }), PRO3)).toEqual({ value: { includeThoughts: true }, warnings: [] });
    expect(mapGoogleReasoning(r({ include: false }), PRO3).value).toBeUndefined();
  });
});
