import { describe, expect, it } from "vitest";
import { finalizeUsage } from "./usage.ts";

describe("finalizeUsage", () => {
  const reported = { input_tokens: 10, cached_input_tokens: 0, cache_write_tokens: 0, output_tokens: 24, raw: {} };

  it("takes the provider's reasoning count when it gives one", () => {
    const usage = finalizeUsage({ ...reported, reasoning_tokens: 20 }, "x".repeat(400), "The answer is 391.");
    expect(usage).toMatchObject({ reasoning_tokens: 20, answer_tokens: 4, reasoning_tokens_source: "provider" });
  });

  it("estimates the answer and books the rest of the output as reasoning", () => {
    const usage = finalizeUsage({ ...reported, reasoning_tokens: undefined }, "x".repeat(400), "The answer is 391.");
    expect(usage.reasoning_tokens_source).toBe("estimated");
    // A 16-character answer is about 4 tokens, whatever the length of the (summarised) reasoning.
    expect(usage.answer_tokens).toBe(5);
    expect(usage.reasoning_tokens).toBe(19);
  });

  it("counts hidden reasoning (no text, blocks only) and none without reasoning", () => {
    const hidden = finalizeUsage({ ...reported, reasoning_tokens: undefined }, "", "ok", true);
    expect(hidden).toMatchObject({ reasoning_tokens: 23, answer_tokens: 1 });
    const none = finalizeUsage({ ...reported, reasoning_tokens: undefined }, "", "ok");
    expect(none).toMatchObject({ reasoning_tokens: 0, answer_tokens: 24 });
  });

  it("never exceeds the provider's output total", () => {
    const usage = finalizeUsage(
      { ...reported, output_tokens: 3, reasoning_tokens: undefined },
      "x".repeat(400),
      "y".repeat(400),
    );
    expect(usage.reasoning_tokens + usage.answer_tokens).toBe(3);
    expect(usage.reasoning_tokens).toBeGreaterThanOrEqual(0);
  });
});
