import { ReasonqError } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { countInputTokens, estimateMaxCost } from "./estimate-cost.ts";

const NOW = new Date("2026-11-22T12:00:00Z");
const hello = [{ role: "user", content: "Hello, world!" }];

describe("estimateMaxCost", () => {
  it("counts the prompt with the tokenizer and its chat framing", () => {
    // "Hello, world!" is 4 o200k tokens; + 4 framing for the message, + 3 for the reply.
    expect(countInputTokens(hello)).toBe(11);
    expect(countInputTokens([])).toBe(3);
    expect(countInputTokens([{ role: "user", content: "<|endoftext|>" }])).toBeGreaterThan(7);
  });

  it("counts UTF-8 bytes on request: never fewer than the tokenizer's tokens", () => {
    const texts = [
      "Hello, world!",
      "What is 12*13? Think step by step.",
      "日本語のテキスト 🙂",
      "<|endoftext|>",
      " ".repeat(40),
    ];
    for (const content of texts) {
      const messages = [{ role: "user", content }];
      const bytes = estimateMaxCost({
        modelId: "openai/o3",
        messages,
        maxOutputTokens: 10,
        at: NOW,
        countWith: "utf8_bytes",
      });
      const tokens = estimateMaxCost({ modelId: "openai/o3", messages, maxOutputTokens: 10, at: NOW });
      expect(bytes.countedInputTokens).toBe(countInputTokens(messages, (text) => Buffer.byteLength(text)));
      expect(bytes.countedInputTokens).toBeGreaterThanOrEqual(tokens.countedInputTokens);
    }
  });

  it("pads OpenAI counts by 10% and bills max_output_tokens at the output price", () => {
    const estimate = estimateMaxCost({ modelId: "openai/o3", messages: hello, maxOutputTokens: 1000, at: NOW });
    expect(estimate).toMatchObject({ countedInputTokens: 11, inputTokens: 13, maxOutputTokens: 1000 });
    // 13 × $2/M + 1000 × $8/M
    expect(estimate.maxCost).toBe("0.008026");
  });

  it("pads other providers by 35% and bills the prompt at the dearest input-side price (cache writes)", () => {
    const estimate = estimateMaxCost({
      modelId: "anthropic/claude-sonnet-4-20250514",
      messages: hello,
      maxOutputTokens: 1000,
      at: NOW,
    });
    expect(estimate.inputTokens).toBe(15);
    // 15 × $3.75/M (5-minute cache write) + 1000 × $15/M
    expect(estimate.maxCost).toBe("0.01505625");
  });

  it("bills output at the higher of the output and reasoning prices", () => {
    const estimate = estimateMaxCost({
      modelId: "openrouter/perplexity/sonar-deep-research",
      messages: [],
      maxOutputTokens: 1_000_000,
      at: NOW,
    });
    expect(estimate.unit_prices_per_million).toMatchObject({ output: "8", reasoning: "3" });
    // 5 padded framing tokens × $2/M + 1M output tokens at $8 (the reasoning price, $3, is lower)
    expect(estimate.maxCost).toBe("8.00001");
  });

  it("takes the long-context tier the padded prompt falls in", () => {
    const long = [{ role: "user", content: "word ".repeat(160_000) }];
    const estimate = estimateMaxCost({ modelId: "google/gemini-2.5-pro", messages: long, maxOutputTokens: 0, at: NOW });
    expect(estimate.inputTokens).toBeGreaterThan(200_000);
    expect(estimate.unit_prices_per_million.input).toBe("2.5");
  });

  it("takes DeepSeek's peak rate even off-peak: a queued job may start in peak hours", () => {
    const estimate = estimateMaxCost({
      modelId: "deepseek/deepseek-flash",
      messages: [],
      maxOutputTokens: 1_000_000,
      at: NOW,
    });
    expect(estimate.maxCost).toBe("1.2000015");
  });

  it("refuses a model without a price", () => {
    expect(() =>
      estimateMaxCost({ modelId: "theagentic/agentic-large", messages: hello, maxOutputTokens: 10, at: NOW }),
    ).toThrow(ReasonqError);
  });
});
