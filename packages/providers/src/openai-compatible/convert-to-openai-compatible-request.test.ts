import type { JobSpec } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { convertToOpenAICompatibleRequest } from "./convert-to-openai-compatible-request.ts";
import { SELF_HOSTED_MODELS, XAI_MODELS } from "./openai-compatible-models.ts";
import { SGLANG_PROFILE, XAI_PROFILE } from "./openai-compatible-profiles.ts";

const sglangModel = SELF_HOSTED_MODELS.find((m) => m.provider === "sglang");
const grok = XAI_MODELS.find((m) => m.model === "grok-3-mini");
if (sglangModel === undefined || grok === undefined) throw new Error("catalog entries missing");

const spec = (extra: Partial<JobSpec> = {}): JobSpec => ({
  model: "x",
  messages: [
    { role: "developer", content: "Be brief." },
    { role: "user", content: "hi" },
  ],
  reasoning: { include: true, enabled: true },
  sampling: {},
  metadata: {},
  ...extra,
});

describe("convertToOpenAICompatibleRequest", () => {
  it("builds the body: developer → system, knobs, sampling and the profile's constant fields", () => {
    const prepared = convertToOpenAICompatibleRequest(
      spec({ sampling: { top_k: 20, seed: 7 }, max_output_tokens: 1_000 }),
      sglangModel,
      SGLANG_PROFILE,
      undefined,
    );
    expect(prepared.body).toEqual({
      model: "Qwen/Qwen3-8B",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
      ],
      max_tokens: 1_000,
      chat_template_kwargs: { enable_thinking: true },
      top_k: 20,
      seed: 7,
      separate_reasoning: true,
    });
    expect(prepared.resolvedParams).not.toHaveProperty("messages");
    expect(prepared.resolvedParams).not.toHaveProperty("model");
  });

  it("refuses a sampling field the model does not take, and an output limit above its maximum", () => {
    expect(() => convertToOpenAICompatibleRequest(spec({ sampling: { top_k: 5 } }), grok, XAI_PROFILE, "k")).toThrow(
      expect.objectContaining({ type: "unsupported_parameter", field: "top_k" }),
    );
    expect(() =>
      convertToOpenAICompatibleRequest(spec({ max_output_tokens: 10_000_000 }), grok, XAI_PROFILE, "k"),
    ).toThrow(expect.objectContaining({ type: "invalid_request", field: "max_output_tokens" }));
  });

  it("refuses a missing key only where the profile needs one", () => {
    expect(() => convertToOpenAICompatibleRequest(spec(), grok, XAI_PROFILE, "")).toThrow(
      expect.objectContaining({ message: "XAI_API_KEY is not set, so reasonq cannot call xAI" }),
    );
    expect(() => convertToOpenAICompatibleRequest(spec(), sglangModel, SGLANG_PROFILE, undefined)).not.toThrow();
  });
});
