import type { ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { mapOpenAICompatibleReasoning } from "./map-openai-compatible-reasoning.ts";
import type { ReasoningRequest } from "./openai-compatible-profiles.ts";

const reasoningModel = (canDisable = true): ModelInfo => ({
  id: "t/m",
  provider: "t",
  model: "m",
  aliases: [],
  reasoning: { supported: true, field: "x", kind: "full", can_disable: canDisable },
  context_window: 1000,
  max_output_tokens: 100,
  default_max_output_tokens: 50,
  sampling: [],
});
const plain: ModelInfo = {
  ...reasoningModel(false),
  reasoning: { supported: false, field: null, kind: "none", can_disable: false },
};
const control = (r: Partial<ResolvedReasoning> = {}): ResolvedReasoning => ({ include: true, enabled: true, ...r });
const effortStyle: ReasoningRequest = { type: "reasoning_effort", efforts: ["low", "medium", "high"], off: "none" };
const map = (r: Partial<ResolvedReasoning>, style: ReasoningRequest, model = reasoningModel()) =>
  mapOpenAICompatibleReasoning(control(r), model, style);

describe("mapOpenAICompatibleReasoning: what each style sends", () => {
  const table: Array<[string, ReasoningRequest, Partial<ResolvedReasoning>, Record<string, unknown>, number]> = [
    ["none: nothing", { type: "none" }, {}, {}, 0],
    ["none: effort not sent", { type: "none" }, { effort: "high" }, {}, 1],
    ["return_reasoning: include", { type: "return_reasoning" }, {}, { return_reasoning: true }, 0],
    [
      "return_reasoning: include false",
      { type: "return_reasoning" },
      { include: false },
      { return_reasoning: false },
      0,
    ],
    [
      "return_reasoning: budget not sent",
      { type: "return_reasoning" },
      { budget_tokens: 10 },
      { return_reasoning: true },
      1,
    ],
    ["effort: default", effortStyle, {}, {}, 0],
    ["effort: exact", effortStyle, { effort: "medium" }, { reasoning_effort: "medium" }, 0],
    ["effort: nearest", effortStyle, { effort: "max" }, { reasoning_effort: "high" }, 1],
    ["effort: from budget", effortStyle, { budget_tokens: 9_000 }, { reasoning_effort: "medium" }, 1],
    ["effort: off", effortStyle, { enabled: false }, { reasoning_effort: "none" }, 0],
    ["object: default", { type: "reasoning_object" }, {}, { reasoning: { enabled: true } }, 0],
    ["object: budget", { type: "reasoning_object" }, { budget_tokens: 5_000 }, { reasoning: { max_tokens: 5_000 } }, 0],
    [
      "object: exclude",
      { type: "reasoning_object" },
      { include: false },
      { reasoning: { enabled: true, exclude: true } },
      0,
    ],
    ["object: off", { type: "reasoning_object" }, { enabled: false }, { reasoning: { effort: "none" } }, 0],
    [
      "kwargs: on",
      { type: "chat_template_kwargs", key: "thinking" },
      {},
      { chat_template_kwargs: { thinking: true } },
      0,
    ],
    [
      "kwargs: off",
      { type: "chat_template_kwargs", key: "thinking" },
      { enabled: false },
      { chat_template_kwargs: { thinking: false } },
      0,
    ],
    [
      "enable_thinking: on, effort not sent",
      { type: "enable_thinking" },
      { effort: "low" },
      { enable_thinking: true },
      1,
    ],
    ["enable_thinking: off", { type: "enable_thinking" }, { enabled: false }, { enable_thinking: false }, 0],
  ];
  it.each(table)("%s", (_name, style, reasoning, value, warnings) => {
    const mapped = map(reasoning, style);
    expect(mapped.value).toEqual(value);
    expect(mapped.warnings).toHaveLength(warnings);
  });

  it("warns that adaptive thinking became the default", () => {
    expect(map({ adaptive: true }, effortStyle).warnings).toEqual([
      expect.objectContaining({ type: "adapted", field: "thinking.type" }),
    ]);
  });
});

describe("mapOpenAICompatibleReasoning: refusals", () => {
  it("refuses to turn off a model that cannot, or a style without an off value", () => {
    const refused = { type: "unsupported_parameter", field: "reasoning.enabled" };
    expect(() => map({ enabled: false }, effortStyle, reasoningModel(false))).toThrow(expect.objectContaining(refused));
    expect(() => map({ enabled: false }, { type: "reasoning_effort", efforts: ["low"] })).toThrow(
      expect.objectContaining(refused),
    );
    expect(() => map({ enabled: false }, { type: "return_reasoning" })).toThrow(expect.objectContaining(refused));
  });

  it("refuses reasoning knobs for a model that does not reason, but not enabled: false", () => {
    expect(() => map({ effort: "low" }, effortStyle, plain)).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.effort" }),
    );
    expect(map({ enabled: false }, effortStyle, plain)).toEqual({ value: {}, warnings: [] });
  });
});
