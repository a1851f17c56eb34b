import type { ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { mapOpenAIReasoning } from "./map-openai-reasoning.ts";
import { OPENAI_MODELS, traitsOf } from "./openai-models.ts";

function model(name: string): ModelInfo {
  const found = OPENAI_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(`no model ${name}`);
  return found;
}

function plan(name: string, reasoning: Partial<ResolvedReasoning> = {}) {
  const m = model(name);
  return mapOpenAIReasoning({ include: true, enabled: true, ...reasoning }, m, traitsOf(m));
}

describe("mapOpenAIReasoning — effort", () => {
  it("sends an accepted effort as is, without a warning", () => {
    expect(plan("o3-mini", { effort: "high" })).toEqual({
      value: { api: "chat", effort: "high", summary: false },
      warnings: [],
    });
    expect(plan("gpt-5", { effort: "minimal" }).value.effort).toBe("minimal");
    expect(plan("gpt-5.2", { effort: "xhigh" }).value.effort).toBe("xhigh");
  });

  // Each of reasonq's six efforts on each effort family (ties go up).
  it.each([
    ["o3-mini", ["low", "low", "medium", "high", "high", "high"]],
    ["gpt-5", ["minimal", "low", "medium", "high", "high", "high"]],
    ["gpt-5.1", ["low", "low", "medium", "high", "high", "high"]],
    ["gpt-5.2", ["low", "low", "medium", "high", "xhigh", "xhigh"]],
    ["gpt-5-pro", ["high", "high", "high", "high", "high", "high"]],
  ] as const)("maps minimal…max on %s to %j", (name, expected) => {
    const efforts = ["minimal", "low", "medium", "high", "xhigh", "max"] as const;
    const got = efforts.map((effort) => plan(name, { effort }));
    expect(got.map((p) => p.value.effort)).toEqual(expected);
    for (const [i, p] of got.entries()) {
      const adapted = p.value.effort !== efforts[i];
      expect(p.warnings).toHaveLength(adapted ? 1 : 0);
      if (adapted) expect(p.warnings[0]).toMatchObject({ type: "adapted", field: "reasoning.effort" });
    }
  });

  it("sends the default effort explicitly when none is asked (gpt-5.1 would not reason otherwise)", () => {
    expect(plan("gpt-5.1").value.effort).toBe("medium");
    expect(plan("gpt-5-pro").value.effort).toBe("high");
    expect(plan("o1").warnings).toEqual([]);
  });

  it("maps a budget to the largest accepted effort within it, always warning", () => {
    const mapped = plan("o4-mini", { budget_tokens: 10_000 });
    expect(mapped.value.effort).toBe("medium");
    expect(mapped.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "reasoning.budget_tokens" })]);
    expect(plan("o4-mini", { budget_tokens: 100 }).value.effort).toBe("low");
    expect(plan("gpt-5", { budget_tokens: 600 }).value.effort).toBe("minimal");
    expect(plan("gpt-5.2", { budget_tokens: 50_000 }).value.effort).toBe("xhigh");
    expect(plan("gpt-5.2", { budget_tokens: 0 })).toMatchObject({
      value: { effort: "none", summary: false },
      warnings: [expect.objectContaining({ field: "reasoning.budget_tokens" })],
    });
  });

  it("turns reasoning off with effort none where the model allows it, and refuses elsewhere", () => {
    expect(plan("gpt-5.1", { enabled: false })).toEqual({
      value: { api: "chat", effort: "none", summary: false },
      warnings: [],
    });
    expect(() => plan("o3", { enabled: false })).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "reasoning.enabled" }),
    );
    expect(() => plan("gpt-5", { enabled: false })).toThrow(/least it does is reasoning.effort "minimal"/);
  });

  it("adapts adaptive thinking to the default effort with a warning", () => {
    expect(plan("o3", { adaptive: true })).toMatchObject({
      value: { effort: "medium" },
      warnings: [expect.objectContaining({ field: "thinking.type" })],
    });
  });

  it("sends no effort to o1-mini, saying so when one was asked", () => {
    expect(plan("o1-mini")).toEqual({ value: { api: "chat", effort: null, summary: false }, warnings: [] });
    expect(plan("o1-mini", { effort: "high" })).toMatchObject({
      value: { effort: null },
      warnings: [expect.objectContaining({ type: "unsupported", field: "reasoning.effort" })],
    });
    expect(plan("o1-mini", { budget_tokens: 4000 }).warnings[0]?.field).toBe("reasoning.budget_tokens");
  });
});

describe("mapOpenAIReasoning — which API", () => {
  it("uses Responses with a summary when include is asked and the model returns summaries", () => {
    for (const name of ["o3", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1", "gpt-5.2", "gpt-5-pro"]) {
      expect(plan(name).value).toMatchObject({ api: "responses", summary: true });
    }
  });

  it("uses Chat Completions for hidden-only models and when include is false", () => {
    for (const name of ["o1", "o1-mini", "o3-mini"]) expect(plan(name).value.api).toBe("chat");
    expect(plan("o3", { include: false }).value).toMatchObject({ api: "chat", summary: false });
    // gpt-5-pro is not served on Chat Completions: Responses without a summary.
    expect(plan("gpt-5-pro", { include: false }).value).toMatchObject({ api: "responses", summary: false });
  });

  it("asks for no summary when reasoning is off", () => {
    expect(plan("gpt-5.2", { enabled: false }).value).toMatchObject({ api: "chat", effort: "none", summary: false });
  });
});

describe("catalog entries", () => {
  it("mark summary models summary and Chat-only models hidden", () => {
    expect(model("o3").reasoning).toEqual({
      supported: true,
      field: "reasoning.effort | reasoning_effort",
      kind: "summary",
      can_disable: false,
    });
    expect(model("o3-mini").reasoning).toMatchObject({ field: "reasoning_effort", kind: "hidden" });
    expect(model("o1-mini").reasoning).toMatchObject({ field: null, kind: "hidden" });
    expect(model("gpt-5.2").reasoning.can_disable).toBe(true);
    expect(model("gpt-5-pro").reasoning.field).toBe("reasoning.effort");
    for (const m of OPENAI_MODELS) {
      expect(m.id).toBe(`openai/${m.model}`);
      expect(m.aliases).toEqual([m.model]);
      expect(m.default_max_output_tokens).toBeLessThanOrEqual(m.max_output_tokens);
      expect(m.retired).toBeUndefined();
    }
  });
});
