import type { JobSpec } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { convertToOpenAIRequest } from "./convert-to-openai-request.ts";
import { OPENAI_MODELS } from "./openai-models.ts";

function model(name: string): ModelInfo {
  const found = OPENAI_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(`no model ${name}`);
  return found;
}

function spec(extra: Partial<JobSpec> = {}): JobSpec {
  return {
    model: "openai/o3",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is 2+2?" },
    ],
    reasoning: { include: true, enabled: true },
    sampling: {},
    metadata: {},
    ...extra,
  };
}

describe("convertToOpenAIRequest", () => {
  it("builds a Chat Completions body with max_completion_tokens, usage streaming and the developer role", () => {
    const prepared = convertToOpenAIRequest(
      spec({ reasoning: { effort: "low", include: true, enabled: true }, max_output_tokens: 5000 }),
      model("o3-mini"),
    );
    expect(prepared.body).toEqual({
      model: "o3-mini",
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: "What is 2+2?" },
      ],
      max_completion_tokens: 5000,
      reasoning_effort: "low",
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(prepared.resolvedParams).toEqual({ max_completion_tokens: 5000, reasoning_effort: "low" });
    expect(prepared.body).not.toHaveProperty("max_tokens");
    expect(prepared.warnings).toEqual([]);
  });

  it("builds a Responses body with reasoning.effort, summary and max_output_tokens when include is asked", () => {
    const prepared = convertToOpenAIRequest(
      spec({ reasoning: { effort: "high", include: true, enabled: true } }),
      model("o3"),
    );
    expect(prepared.body).toEqual({
      model: "o3",
      input: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: "What is 2+2?" },
      ],
      max_output_tokens: 32_768,
      reasoning: { effort: "high", summary: "auto" },
      store: false,
      include: ["reasoning.encrypted_content"],
      stream: true,
    });
    expect(prepared.resolvedParams).toEqual({
      max_output_tokens: 32_768,
      reasoning: { effort: "high", summary: "auto" },
      store: false,
      include: ["reasoning.encrypted_content"],
    });
  });

  it("refuses sampling parameters on reasoning models, naming the rule", () => {
    expect(() => convertToOpenAIRequest(spec({ sampling: { temperature: 0.2 } }), model("o3"))).toThrow(
      expect.objectContaining({
        type: "unsupported_parameter",
        field: "temperature",
        message: "model openai/o3 does not accept temperature: OpenAI reasoning models accept no sampling parameters",
      }),
    );
    expect(() => convertToOpenAIRequest(spec({ sampling: { seed: 1 } }), model("gpt-5.2"))).toThrow(
      expect.objectContaining({ field: "seed" }),
    );
    expect(() => convertToOpenAIRequest(spec({ sampling: { top_p: 0.5 } }), model("gpt-5.1"))).toThrow(
      /only with reasoning off/,
    );
  });

  it("passes temperature and top_p to gpt-5.1+ with reasoning off (providers.md §1.5)", () => {
    const prepared = convertToOpenAIRequest(
      spec({ reasoning: { include: true, enabled: false }, sampling: { temperature: 0.2, top_p: 0.9 } }),
      model("gpt-5.1"),
    );
    expect(prepared.resolvedParams).toEqual({
      max_completion_tokens: 32_768,
      reasoning_effort: "none",
      temperature: 0.2,
      top_p: 0.9,
    });
  });

  it("refuses a max_output_tokens above the model's limit", () => {
    expect(() => convertToOpenAIRequest(spec({ max_output_tokens: 200_000 }), model("o3"))).toThrow(
      expect.objectContaining({ type: "invalid_request", field: "max_output_tokens" }),
    );
  });

  it("puts the system text before the first user message for o1-mini, with a warning", () => {
    const prepared = convertToOpenAIRequest(spec(), model("o1-mini"));
    expect(prepared.body.messages).toEqual([{ role: "user", content: "Be brief.\n\nWhat is 2+2?" }]);
    expect(prepared.body).not.toHaveProperty("reasoning_effort");
    expect(prepared.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "system" })]);
  });
});
