import { type JobSpec, ReasonqError, type ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { createCatalog } from "../catalog/resolve-model.ts";
import { createAnthropicAdapter } from "./anthropic-adapter.ts";
import { ANTHROPIC_MODELS, ANTHROPIC_TRAITS } from "./anthropic-models.ts";
import { type AnthropicApiVersion, convertToAnthropicRequest } from "./convert-to-anthropic-request.ts";

const local = createCatalog(ANTHROPIC_MODELS);
const model = (name: string): ModelInfo => {
  const found = ANTHROPIC_MODELS.find((m) => m.model === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
};

function spec(options: { reasoning?: Partial<ResolvedReasoning> } & Partial<Omit<JobSpec, "reasoning">> = {}): JobSpec {
  const { reasoning, ...rest } = options;
  return {
    model: "anthropic/claude-sonnet-4-6",
    messages: [{ role: "user", content: "What is 17*23?" }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...rest,
  };
}

const prepare = (job: JobSpec, name = "claude-sonnet-4-6", apiVersion: AnthropicApiVersion = "2026-10-21") =>
  convertToAnthropicRequest(job, model(name), { apiVersion, promptCaching: false });

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (ReasonqError.is(error)) return { type: error.type, field: error.field, message: error.message };
    throw error;
  }
  throw new Error("not refused");
}

describe("anthropic catalog", () => {
  it("has traits for every model and sends retired Claude 4 to its named replacement", () => {
    for (const entry of ANTHROPIC_MODELS) {
      expect(ANTHROPIC_TRAITS[entry.model]).toBeDefined();
      expect(entry.id).toBe(`anthropic/${entry.model}`);
      expect(entry.reasoning.kind).toBe("summary");
      expect(entry.default_max_output_tokens).toBeLessThanOrEqual(entry.max_output_tokens);
    }
    expect(local.resolve("claude-sonnet-4-20250514").model.id).toBe("anthropic/claude-sonnet-4-6");
    expect(local.resolve("anthropic/claude-opus-4-20250514")).toMatchObject({
      model: { id: "anthropic/claude-opus-4-8" },
      warnings: [
        {
          type: "deprecated",
          message: "anthropic/claude-opus-4-20250514 was retired on 2026-06-15; anthropic/claude-opus-4-8 runs instead",
        },
      ],
    });
    expect(local.resolve("claude-haiku-5-5").model.id).toBe("anthropic/claude-haiku-5-5");
  });
});

describe("convertToAnthropicRequest", () => {
  it("builds the streamed body with system prompt, turns and the resolved native knobs", () => {
    const request = prepare(
      spec({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: "Show work." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello." },
          { role: "user", content: "What is 2+2?" },
        ],
        reasoning: { effort: "high" },
        sampling: { stop: ["END"] },
      }),
    );
    expect(request.body).toEqual({
      model: "claude-sonnet-4-6",
      system: "Be brief.\n\nShow work.",
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello." },
        { role: "user", content: "What is 2+2?" },
      ],
      thinking: { type: "adaptive", display: "summarized" },
      output_config: { effort: "high" },
      max_tokens: 32_000,
      stop_sequences: ["END"],
      stream: true,
    });
    expect(request.resolvedParams).toEqual({
      thinking: { type: "adaptive", display: "summarized" },
      output_config: { effort: "high" },
      max_tokens: 32_000,
      stop_sequences: ["END"],
    });
  });

  it("refuses sampling parameters under 2026-10-21, and applies the older rules under 2023-06-01", () => {
    expect(refusal(() => prepare(spec({ sampling: { temperature: 0.3 } })))).toMatchObject({
      type: "unsupported_parameter",
      field: "temperature",
      message: expect.stringContaining("not accepted by Anthropic API version 2026-10-21"),
    });
    expect(refusal(() => prepare(spec({ sampling: { seed: 1 } })))).toMatchObject({ field: "seed" });

    const legacy = (job: JobSpec, name = "claude-sonnet-4-6") => prepare(job, name, "2023-06-01");
    expect(refusal(() => legacy(spec({ sampling: { temperature: 0.3 } })))).toMatchObject({
      field: "temperature",
      message:
        "anthropic/claude-sonnet-4-6: temperature must be 1 while thinking is on (reasoning.enabled: false turns it off)",
    });
    const off = legacy(spec({ reasoning: { enabled: false }, sampling: { temperature: 0.3 } }));
    expect(off.resolvedParams).toEqual({ thinking: { type: "disabled" }, max_tokens: 32_000, temperature: 0.3 });
    expect(
      refusal(() => legacy(spec({ reasoning: { enabled: false }, sampling: { temperature: 0.3, top_p: 0.9 } }))),
    ).toMatchObject({
      field: "top_p",
    });
    expect(
      refusal(() => legacy(spec({ reasoning: { enabled: false }, sampling: { temperature: 0.3 } }), "claude-opus-4-8")),
    ).toMatchObject({
      field: "temperature",
      message: "anthropic/claude-opus-4-8: only temperature 1 is accepted",
    });
    expect(legacy(spec({ sampling: { top_p: 0.99 } }), "claude-opus-4-8").resolvedParams).toMatchObject({
      top_p: 0.99,
    });
    expect(refusal(() => legacy(spec({ sampling: { top_k: 5 } }), "claude-sonnet-4-20250514"))).toMatchObject({
      field: "top_k",
    });
  });

  it("refuses what the API would refuse: output above the model limit, empty turns, prefill on new models", () => {
    expect(refusal(() => prepare(spec({ max_output_tokens: 200_000 })))).toMatchObject({
      type: "invalid_request",
      field: "max_output_tokens",
    });
    expect(refusal(() => prepare(spec({ messages: [{ role: "user", content: "  " }] })))).toMatchObject({
      field: "messages.0.content",
    });
    const prefill = spec({
      messages: [
        { role: "user", content: "Name a prime." },
        { role: "assistant", content: "The prime is" },
      ],
    });
    expect(refusal(() => prepare(prefill))).toMatchObject({ type: "unsupported_parameter", field: "messages" });
    expect(prepare(prefill, "claude-sonnet-4-20250514").body.messages).toHaveLength(2);
  });

  it("adds top-level cache_control when prompt caching is on", () => {
    const request = convertToAnthropicRequest(spec(), model("claude-opus-5"), {
      apiVersion: "2026-10-21",
      promptCaching: true,
    });
    expect(request.resolvedParams).toMatchObject({ cache_control: { type: "ephemeral" } });
  });

  it("refuses to prepare without ANTHROPIC_API_KEY", () => {
    const adapter = createAnthropicAdapter({});
    expect(refusal(() => adapter.prepare(spec(), model("claude-sonnet-4-6")))).toEqual({
      type: "invalid_request",
      field: "model",
      message: "ANTHROPIC_API_KEY is not set, so reasonq cannot call Anthropic",
    });
  });
});
