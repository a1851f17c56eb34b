import { finalizeUsage } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/google-reasoning.json" with { type: "json" };
import { convertGoogleUsage } from "./convert-google-usage.ts";

describe("convertGoogleUsage", () => {
  it("adds the thoughts to the candidates: Gemini reports them outside (langfuse#12531)", () => {
    const usage = convertGoogleUsage(fixture.usageMetadata);
    expect(usage).toEqual({
      input_tokens: 9,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 8 + 282,
      reasoning_tokens: 282,
      raw: fixture.usageMetadata,
    });
    const final = finalizeUsage(usage, "");
    expect(final.reasoning_tokens + final.answer_tokens).toBe(final.output_tokens);
    expect(final).toMatchObject({ answer_tokens: 8, reasoning_tokens_source: "provider" });
    // The parts add up to Gemini's own total.
    expect(final.input_tokens + final.output_tokens).toBe(fixture.usageMetadata.totalTokenCount);
  });

  it("keeps cached tokens inside the input and counts tool-use prompt tokens as input", () => {
    const usage = convertGoogleUsage({
      promptTokenCount: 5000,
      cachedContentTokenCount: 4096,
      toolUsePromptTokenCount: 40,
      candidatesTokenCount: 100,
      thoughtsTokenCount: 900,
      totalTokenCount: 6040,
    });
    expect(usage).toMatchObject({ input_tokens: 5040, cached_input_tokens: 4096, output_tokens: 1000 });
    expect(usage.cached_input_tokens).toBeLessThanOrEqual(usage.input_tokens);
    expect(usage.input_tokens + usage.output_tokens).toBe(6040);
  });

  it("reads a missing thought count as no thinking, and an early chunk as thoughts only", () => {
    expect(convertGoogleUsage({ promptTokenCount: 3, candidatesTokenCount: 7 })).toMatchObject({
      output_tokens: 7,
      reasoning_tokens: 0,
    });
    expect(convertGoogleUsage({ promptTokenCount: 9, thoughtsTokenCount: 282 })).toMatchObject({
      output_tokens: 282,
      reasoning_tokens: 282,
    });
    expect(convertGoogleUsage({})).toMatchObject({ input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 });
  });

  it("holds the invariants for any counts", () => {
    for (const [prompt, cached, candidates, thoughts] of [
      [0, 0, 0, 0],
      [10, 0, 1, 0],
      [2048, 2048, 0, 4000],
      [123_456, 65_536, 777, 31_000],
    ] as const) {
      const final = finalizeUsage(
        convertGoogleUsage({
          promptTokenCount: prompt,
          cachedContentTokenCount: cached,
          candidatesTokenCount: candidates,
          thoughtsTokenCount: thoughts,
        }),
        "",
      );
      expect(final.reasoning_tokens + final.answer_tokens).toBe(final.output_tokens);
      expect(final.output_tokens).toBe(candidates + thoughts);
      expect(final.cached_input_tokens + (final.input_tokens - final.cached_input_tokens)).toBe(prompt);
    }
  });
});
