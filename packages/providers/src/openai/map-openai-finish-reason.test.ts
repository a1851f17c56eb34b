import { describe, expect, it } from "vitest";
import { mapChatFinishReason, mapResponsesFinish } from "./map-openai-finish-reason.ts";

describe("mapChatFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["content_filter", "content_filter"],
    ["tool_calls", "tool_calls"],
    ["function_call", "tool_calls"],
    ["something_new", "error"],
    [null, "error"],
  ] as const)("%s → %s", (raw, reason) => {
    expect(mapChatFinishReason(raw)).toBe(reason);
  });
});

describe("mapResponsesFinish", () => {
  it.each([
    ["completed", undefined, "stop", "completed"],
    ["incomplete", "max_output_tokens", "length", "max_output_tokens"],
    ["incomplete", "content_filter", "content_filter", "content_filter"],
    ["incomplete", "max_messages", "length", "max_messages"],
    ["incomplete", undefined, "length", "incomplete"],
    ["failed", undefined, "error", "failed"],
    ["cancelled", undefined, "error", "cancelled"],
  ] as const)("%s / %s → %s", (status, reason, expected, raw) => {
    expect(mapResponsesFinish(status, reason)).toEqual({ reason: expected, raw });
  });
});
