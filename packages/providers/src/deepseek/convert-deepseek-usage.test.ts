import { readFileSync } from "node:fs";
import { finalizeUsage } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { convertDeepSeekUsage } from "./convert-deepseek-usage.ts";

const recorded = JSON.parse(
  readFileSync(new URL("./__fixtures__/deepseek-reasoning.json", import.meta.url), "utf8"),
).usage;

describe("convertDeepSeekUsage", () => {
  it("keeps reasoning inside completion and cache hits inside the prompt", () => {
    const usage = convertDeepSeekUsage(recorded);
    expect(usage).toEqual({
      input_tokens: 97,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 106,
      reasoning_tokens: 88,
      raw: recorded,
    });
    const final = finalizeUsage(usage as NonNullable<typeof usage>, "");
    expect(final.reasoning_tokens + final.answer_tokens).toBe(final.output_tokens);
  });

  it("reads prompt_cache_hit_tokens as cached input", () => {
    const raw = {
      prompt_tokens: 100,
      completion_tokens: 10,
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
    };
    expect(convertDeepSeekUsage(raw)).toMatchObject({
      input_tokens: 100,
      cached_input_tokens: 64,
      reasoning_tokens: undefined,
    });
  });

  it("falls back to hit + miss and to prompt_tokens_details", () => {
    expect(convertDeepSeekUsage({ prompt_cache_hit_tokens: 5, prompt_cache_miss_tokens: 7 })).toMatchObject({
      input_tokens: 12,
      cached_input_tokens: 5,
    });
    expect(convertDeepSeekUsage({ prompt_tokens: 9, prompt_tokens_details: { cached_tokens: 4 } })).toMatchObject({
      cached_input_tokens: 4,
    });
  });

  it("ignores a null usage", () => {
    expect(convertDeepSeekUsage(null)).toBeUndefined();
  });
});
