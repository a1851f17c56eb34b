import { describe, expect, it } from "vitest";
import { mapGoogleFinishReason } from "./map-google-finish-reason.ts";

describe("mapGoogleFinishReason", () => {
  it.each([
    ["STOP", "stop"],
    ["MAX_TOKENS", "length"],
    ["CONTINUATION", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["BLOCKLIST", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
    ["SPII", "content_filter"],
    ["IMAGE_SAFETY", "content_filter"],
    ["OTHER", "error"],
    ["MALFORMED_FUNCTION_CALL", "error"],
    ["FINISH_REASON_UNSPECIFIED", "error"],
    ["LANGUAGE", "error"],
    ["SOMETHING_NEW", "error"],
  ])("maps %s to %s", (raw, reason) => {
    expect(mapGoogleFinishReason(raw)).toBe(reason);
  });
});
