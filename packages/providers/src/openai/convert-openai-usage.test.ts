import { finalizeUsage } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { convertChatUsage, convertResponsesUsage } from "./convert-openai-usage.ts";

describe("convertChatUsage", () => {
  const raw = {
    prompt_tokens: 120,
    completion_tokens: 580,
    total_tokens: 700,
    prompt_tokens_details: { cached_tokens: 64, cache_write_tokens: 32 },
    completion_tokens_details: { reasoning_tokens: 512 },
  };

  it("keeps reasoning inside the output and cache parts inside the input", () => {
    const usage = convertChatUsage(raw);
    expect(usage).toEqual({
      input_tokens: 120,
      cached_input_tokens: 64,
      cache_write_tokens: 32,
      output_tokens: 580,
      reasoning_tokens: 512,
      raw,
    });
    expect(usage?.raw).toBe(raw);
    // langfuse#11244: 580 must never become 580 + 512.
    const final = finalizeUsage(usage as NonNullable<typeof usage>, "");
    expect(final.reasoning_tokens + final.answer_tokens).toBe(final.output_tokens);
    expect(final).toMatchObject({ output_tokens: 580, answer_tokens: 68, reasoning_tokens_source: "provider" });
  });

  it("leaves the reasoning count undefined when the details are missing", () => {
    expect(convertChatUsage({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 })).toMatchObject({
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: undefined,
    });
  });

  it("reads nothing from a malformed or null usage", () => {
    expect(convertChatUsage(null)).toBeUndefined();
    expect(convertChatUsage({ prompt_tokens: "3", completion_tokens: 1 })).toBeUndefined();
  });
});

describe("convertResponsesUsage", () => {
  it("maps the Responses field names the same way", () => {
    const raw = {
      input_tokens: 75,
      input_tokens_details: { cached_tokens: 10, cache_write_tokens: 0 },
      output_tokens: 1186,
      output_tokens_details: { reasoning_tokens: 1024 },
      total_tokens: 1261,
    };
    expect(convertResponsesUsage(raw)).toEqual({
      input_tokens: 75,
      cached_input_tokens: 10,
      cache_write_tokens: 0,
      output_tokens: 1186,
      reasoning_tokens: 1024,
      raw,
    });
    expect(convertResponsesUsage({ input_tokens: 1, output_tokens: 2 })?.reasoning_tokens).toBeUndefined();
    expect(convertResponsesUsage(undefined)).toBeUndefined();
  });
});
