import type { ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { DEEPSEEK_MODELS } from "./deepseek-models.ts";
import { mapDeepSeekReasoning, thinkingModeSamplingWarnings } from "./map-deepseek-reasoning.ts";

const v4 = DEEPSEEK_MODELS.find((m) => m.model === "deepseek-flash");
const r1 = DEEPSEEK_MODELS.find((m) => m.model === "deepseek-reasoner");
if (v4 === undefined || r1 === undefined) throw new Error("catalog entries missing");
const control = (r: Partial<ResolvedReasoning> = {}): ResolvedReasoning => ({ include: true, enabled: true, ...r });

describe("mapDeepSeekReasoning (V4)", () => {
  it.each([
    [{}, "high", 0],
    [{ effort: "minimal" }, "low", 1],
    [{ effort: "low" }, "low", 0],
    [{ effort: "medium" }, "high", 1],
    [{ effort: "high" }, "high", 0],
    [{ effort: "xhigh" }, "high", 1],
    [{ effort: "max" }, "max", 0],
    [{ budget_tokens: 500 }, "low", 1],
    [{ budget_tokens: 24_576 }, "high", 1],
    [{ budget_tokens: 100_000 }, "max", 1],
  ] as Array<[Partial<ResolvedReasoning>, string, number]>)(
    "%o → reasoning_effort %s (%i warnings)",
    (r, effort, n) => {
      const mapped = mapDeepSeekReasoning(control(r), v4);
      expect(mapped.value).toEqual({ thinking: { type: "enabled" }, reasoning_effort: effort });
      expect(mapped.warnings).toHaveLength(n);
    },
  );

  it("turns thinking off without an effort", () => {
    expect(mapDeepSeekReasoning(control({ enabled: false }), v4)).toEqual({
      value: { thinking: { type: "disabled" } },
      warnings: [],
    });
  });

  it("says adaptive thinking was adapted", () => {
    const mapped = mapDeepSeekReasoning(control({ adaptive: true }), v4);
    expect(mapped.value).toEqual({ thinking: { type: "enabled" }, reasoning_effort: "high" });
    expect(mapped.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "thinking.type" })]);
  });

  it("sends nothing for include: false (reasoning_content always comes back)", () => {
    expect(mapDeepSeekReasoning(control({ include: false }), v4).value).not.toHaveProperty("include");
  });
});

describe("mapDeepSeekReasoning (R1 era)", () => {
  it("has no knob: effort is not sent, with a warning; off is refused", () => {
    expect(mapDeepSeekReasoning(control(), r1)).toEqual({ value: {}, warnings: [] });
    const effort = mapDeepSeekReasoning(control({ effort: "high" }), r1);
    expect(effort.value).toEqual({});
    expect(effort.warnings).toEqual([expect.objectContaining({ type: "unsupported", field: "reasoning.effort" })]);
    expect(() => mapDeepSeekReasoning(control({ enabled: false }), r1)).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.enabled" }),
    );
  });
});

describe("thinkingModeSamplingWarnings", () => {
  it("warns that temperature and top_p do nothing in thinking mode only", () => {
    expect(thinkingModeSamplingWarnings({ temperature: 1, top_p: 0.5, stop: ["x"] }, true).map((w) => w.field)).toEqual(
      ["temperature", "top_p"],
    );
    expect(thinkingModeSamplingWarnings({ temperature: 1 }, false)).toEqual([]);
  });
});
