import { describe, expect, it } from "vitest";
import { mapOpenAICompatibleFinishReason } from "./map-openai-compatible-finish-reason.ts";

describe("mapOpenAICompatibleFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["eos", "stop"],
    ["tool_calls", "tool_calls"],
    ["function_call", "tool_calls"],
    ["length", "length"],
    ["max_tokens", "length"],
    ["content_filter", "content_filter"],
    ["error", "error"],
    ["abort", "error"],
    ["unheard_of", "stop"],
  ])("%s → %s", (raw, reason) => {
    expect(mapOpenAICompatibleFinishReason(raw)).toBe(reason);
  });
});
