import { ReasonqError, type ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { ANTHROPIC_MODELS, anthropicTraits } from "./anthropic-models.ts";
import { ANTHROPIC_EFFORT_BUDGETS, mapAnthropicReasoning } from "./map-anthropic-reasoning.ts";

const model = (name: string): ModelInfo => {
  const found = ANTHROPIC_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
};
const map = (name: string, reasoning: Partial<ResolvedReasoning>, maxTokens = 16_000) =>
  mapAnthropicReasoning(
    { include: true, enabled: true, ...reasoning },
    model(name),
    anthropicTraits(model(name)),
    maxTokens,
  );

const SONNET_4 = "claude-sonnet-4-20250514";
const OPUS_4 = "claude-opus-4-20250514";

describe("mapAnthropicReasoning: budget models (Claude 4)", () => {
  it("maps each effort to its budget by the table, and defaults to medium", () => {
    for (const effort of ["minimal", "low", "medium", "high"] as const) {
      const { value } = map(SONNET_4, { effort }, 64_000);
      expect(value.thinking).toEqual({
        type: "enabled",
        budget_tokens: ANTHROPIC_EFFORT_BUDGETS[effort],
        display: "summarized",
      });
    }
    expect(map(SONNET_4, {}).value).toEqual({
      thinking: { type: "enabled", budget_tokens: 8192, display: "summarized" },
      max_tokens: 16_000,
    });
    expect(map(SONNET_4, {}).warnings).toEqual([]);
  });

  it("passes a budget through, clamping below 1024 and above the model's room, with warnings", () => {
    expect(map(SONNET_4, { budget_tokens: 5000 })).toEqual({
      value: { thinking: { type: "enabled", budget_tokens: 5000, display: "summarized" }, max_tokens: 16_000 },
      warnings: [],
    });
    const low = map(SONNET_4, { budget_tokens: 100 });
    expect(low.value.thinking).toMatchObject({ budget_tokens: 1024 });
    expect(low.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.budget_tokens" })]);
    const high = map(OPUS_4, { budget_tokens: 50_000 }, 16_000);
    expect(high.value).toMatchObject({ thinking: { budget_tokens: 30_976 }, max_tokens: 32_000 });
  });

  it("raises max_tokens above the budget (thinking counts toward it), capped at the model maximum", () => {
    const raised = map(SONNET_4, { budget_tokens: 20_000 }, 8000);
    expect(raised.value.max_tokens).toBe(28_000);
    expect(raised.warnings).toEqual([
      {
        type: "adapted",
        field: "max_output_tokens",
        message:
          "Anthropic needs max_tokens above thinking.budget_tokens (thinking counts toward max_tokens): max_tokens 8000 was raised to 28000 for budget_tokens 20000",
      },
    ]);
    const capped = map(OPUS_4, { effort: "high" }, 16_000);
    expect(capped.value).toMatchObject({ thinking: { budget_tokens: 24_576 }, max_tokens: 32_000 });
    const effortTooBig = map(OPUS_4, { effort: "max" }, 16_000);
    expect(effortTooBig.value).toMatchObject({ thinking: { budget_tokens: 30_976 }, max_tokens: 32_000 });
    expect(effortTooBig.warnings[0]).toMatchObject({ field: "reasoning.effort" });
  });

  it("adapts adaptive thinking to a budget, and turns thinking off with type disabled", () => {
    const adapted = map(SONNET_4, { adaptive: true });
    expect(adapted.value.thinking).toEqual({ type: "enabled", budget_tokens: 8192, display: "summarized" });
    expect(adapted.warnings).toEqual([expect.objectContaining({ field: "thinking.type" })]);
    expect(map(SONNET_4, { enabled: false }).value).toEqual({ thinking: { type: "disabled" }, max_tokens: 16_000 });
  });
});

describe("mapAnthropicReasoning: hybrid models (Claude 4.6)", () => {
  it("maps effort to adaptive thinking with output_config.effort, nearest supported value", () => {
    expect(map("claude-sonnet-4-6", { effort: "high" })).toEqual({
      value: {
        thinking: { type: "adaptive", display: "summarized" },
        output_config: { effort: "high" },
        max_tokens: 16_000,
      },
      warnings: [],
    });
    const xhigh = map("claude-sonnet-4-6", { effort: "xhigh" });
    expect(xhigh.value.output_config).toEqual({ effort: "max" });
    expect(xhigh.warnings[0]).toMatchObject({ type: "adapted", field: "reasoning.effort" });
    expect(map("claude-opus-4-6", { effort: "minimal" }).value.output_config).toEqual({ effort: "low" });
  });

  it("keeps a budget as manual thinking, flagged as deprecated", () => {
    const { value, warnings } = map("claude-sonnet-4-6", { budget_tokens: 10_000 });
    expect(value).toEqual({
      thinking: { type: "enabled", budget_tokens: 10_000, display: "summarized" },
      max_tokens: 16_000,
    });
    expect(warnings).toEqual([expect.objectContaining({ type: "deprecated", field: "reasoning.budget_tokens" })]);
  });

  it("sends adaptive with no effort when nothing is asked, and display omitted when include is false", () => {
    expect(map("claude-opus-4-6", {}).value).toEqual({
      thinking: { type: "adaptive", display: "summarized" },
      max_tokens: 16_000,
    });
    expect(map("claude-opus-4-6", { include: false, effort: "low" }).value).toEqual({
      thinking: { type: "adaptive", display: "omitted" },
      output_config: { effort: "low" },
      max_tokens: 16_000,
    });
  });

  it("maps native adaptive + budget to an effort", () => {
    const { value, warnings } = map("claude-sonnet-4-6", { adaptive: true, budget_tokens: 10_000 });
    expect(value).toMatchObject({ thinking: { type: "adaptive" }, output_config: { effort: "medium" } });
    expect(warnings[0]).toMatchObject({ field: "reasoning.budget_tokens" });
  });
});

describe("mapAnthropicReasoning: adaptive models (Opus 4.8, Claude 5.x)", () => {
  it("maps a budget to the largest effort that fits it", () => {
    const cases: Array<[number, string]> = [
      [500, "low"],
      [2048, "low"],
      [10_000, "medium"],
      [30_000, "high"],
      [40_000, "xhigh"],
      [100_000, "max"],
    ];
    for (const [budget, effort] of cases) {
      const { value, warnings } = map("claude-opus-4-8", { budget_tokens: budget });
      expect(value).toEqual({
        thinking: { type: "adaptive", display: "summarized" },
        output_config: { effort },
        max_tokens: 16_000,
      });
      expect(warnings).toHaveLength(1);
    }
  });

  it("turns thinking off the way each model allows, and refuses where it cannot", () => {
    expect(map("claude-opus-4-8", { enabled: false }).value).toEqual({ max_tokens: 16_000 });
    expect(map("claude-sonnet-5-5", { enabled: false }).value).toEqual({
      thinking: { type: "disabled" },
      max_tokens: 16_000,
    });
    try {
      map("claude-opus-5-5", { enabled: false });
      throw new Error("not refused");
    } catch (error) {
      expect(ReasonqError.is(error) && error.type).toBe("unsupported_parameter");
      expect((error as ReasonqError).field).toBe("reasoning.enabled");
    }
  });
});
