import { readFileSync } from "node:fs";
import { finalizeUsage } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { convertOpenAICompatibleUsage } from "./convert-openai-compatible-usage.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8"));

describe("convertOpenAICompatibleUsage", () => {
  it("xAI: output is completion + reasoning, which matches total - prompt", () => {
    const raw = fixture("xai-grok-usage.json");
    const usage = convertOpenAICompatibleUsage(raw, "excludes_reasoning");
    expect(usage).toEqual({
      input_tokens: 10_120,
      cached_input_tokens: 128,
      cache_write_tokens: 0,
      output_tokens: 1_499 + 2_809,
      reasoning_tokens: 2_809,
      raw,
    });
    expect(usage?.output_tokens).toBe(raw.total_tokens - raw.prompt_tokens);
    const final = finalizeUsage(usage as NonNullable<typeof usage>, "");
    expect(final).toMatchObject({ reasoning_tokens: 2_809, answer_tokens: 1_499 });
  });

  it("OpenRouter: reasoning inside completion, cache reads and writes inside the prompt, cost kept raw", () => {
    const raw = fixture("openrouter-reasoning.json").usage;
    expect(convertOpenAICompatibleUsage(raw, "includes_reasoning")).toMatchObject({
      input_tokens: 14,
      output_tokens: 96,
      reasoning_tokens: 88,
      raw: expect.objectContaining({ cost: 0.00148 }),
    });
    const cached = {
      prompt_tokens: 100,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 30 },
    };
    expect(convertOpenAICompatibleUsage(cached, "includes_reasoning")).toMatchObject({
      input_tokens: 100,
      cached_input_tokens: 60,
      cache_write_tokens: 30,
    });
  });

  it("self-hosted: no breakdown means an unknown reasoning count", () => {
    const raw = fixture("ollama-v1-reasoning.json").usage;
    expect(convertOpenAICompatibleUsage(raw, "includes_reasoning")).toEqual({
      input_tokens: 18,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 142,
      reasoning_tokens: undefined,
      raw,
    });
    expect(
      convertOpenAICompatibleUsage(
        { prompt_tokens: 1, completion_tokens: 2, prompt_tokens_details: null },
        "includes_reasoning",
      ),
    ).toMatchObject({ cached_input_tokens: 0, reasoning_tokens: undefined });
  });

  it("never lets the parts exceed the whole, and ignores non-objects", () => {
    expect(
      convertOpenAICompatibleUsage(
        { prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 50, cache_write_tokens: 5 } },
        "includes_reasoning",
      ),
    ).toMatchObject({ cached_input_tokens: 10, cache_write_tokens: 0 });
    expect(convertOpenAICompatibleUsage(null, "includes_reasoning")).toBeUndefined();
  });
});
