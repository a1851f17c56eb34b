import { finalizeUsage } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage.ts";

describe("convertAnthropicUsage", () => {
  it("adds cache reads and writes into input (Anthropic reports them beside input_tokens)", () => {
    const raw = {
      input_tokens: 52,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 1200,
      output_tokens: 2210,
      output_tokens_details: { thinking_tokens: 1840 },
      service_tier: "standard",
    };
    const usage = convertAnthropicUsage(raw);
    expect(usage).toEqual({
      input_tokens: 1552,
      cached_input_tokens: 1200,
      cache_write_tokens: 300,
      output_tokens: 2210,
      reasoning_tokens: 1840,
      raw,
    });
    // The invariants of SPEC §4: cache parts inside input, reasoning + answer = output.
    const final = finalizeUsage(usage, "");
    expect(final.cached_input_tokens + final.cache_write_tokens).toBeLessThanOrEqual(final.input_tokens);
    expect(final.reasoning_tokens + final.answer_tokens).toBe(final.output_tokens);
    expect(final.reasoning_tokens_source).toBe("provider");
  });

  it("leaves reasoning undefined without output_tokens_details, so it is estimated", () => {
    const usage = convertAnthropicUsage({ input_tokens: 10, output_tokens: 100, output_tokens_details: null });
    expect(usage.reasoning_tokens).toBeUndefined();
    expect(usage).toMatchObject({ input_tokens: 10, cached_input_tokens: 0, cache_write_tokens: 0 });
    // The answer is estimated from its text; the rest of the billed output is reasoning.
    const final = finalizeUsage(usage, "a".repeat(200), "b".repeat(64));
    expect(final).toMatchObject({ reasoning_tokens: 84, answer_tokens: 16, reasoning_tokens_source: "estimated" });
  });

  it("treats null cache counts (message_delta) as zero", () => {
    const usage = convertAnthropicUsage({
      input_tokens: null,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: null,
      output_tokens: 7,
    });
    expect(usage).toMatchObject({ input_tokens: 0, output_tokens: 7 });
  });
});

describe("1-hour cache writes", () => {
  it("keeps the 5m/1h split of the cache writes", () => {
    const usage = convertAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      output_tokens: 5,
    });
    expect(usage).toMatchObject({ input_tokens: 310, cache_write_tokens: 300, cache_write_1h_tokens: 200 });
    expect(finalizeUsage(usage, "")).toMatchObject({ cache_write_tokens: 300, cache_write_1h_tokens: 200 });
  });
});

describe("mergeAnthropicUsage", () => {
  it("replaces with message_delta's cumulative totals, never adds, and keeps fields it leaves null", () => {
    const start = {
      input_tokens: 52,
      cache_read_input_tokens: 10,
      output_tokens: 5,
      output_tokens_details: null,
      service_tier: "standard",
    };
    const delta = {
      input_tokens: null,
      cache_read_input_tokens: 10,
      output_tokens: 2210,
      output_tokens_details: { thinking_tokens: 1840 },
    };
    expect(mergeAnthropicUsage(start, delta)).toEqual({
      input_tokens: 52,
      cache_read_input_tokens: 10,
      output_tokens: 2210,
      output_tokens_details: { thinking_tokens: 1840 },
      service_tier: "standard",
    });
    expect(mergeAnthropicUsage(undefined, delta)).toEqual(delta);
  });
});
