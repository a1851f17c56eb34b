import { describe, expect, it } from "vitest";
import { INSUFFICIENT_SYSTEM_RESOURCE, mapDeepSeekFinishReason } from "./map-deepseek-finish-reason.ts";

describe("mapDeepSeekFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["tool_calls", "tool_calls"],
    ["length", "length"],
    ["content_filter", "content_filter"],
    [INSUFFICIENT_SYSTEM_RESOURCE, "error"],
    ["something_new", "stop"],
  ])("%s → %s", (raw, reason) => {
    expect(mapDeepSeekFinishReason(raw)).toBe(reason);
  });
});
