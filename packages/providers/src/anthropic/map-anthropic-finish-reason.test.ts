import { describe, expect, it } from "vitest";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.ts";

describe("mapAnthropicFinishReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["tool_use", "tool_calls"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["pause_turn", "length"],
    ["refusal", "content_filter"],
    ["a_future_reason", "stop"],
    [null, "error"],
    [undefined, "error"],
  ] as const)("%s → %s", (raw, finish) => {
    expect(mapAnthropicFinishReason(raw)).toBe(finish);
  });
});
