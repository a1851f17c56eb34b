import type { FinishReason } from "@reasonq/core";

/**
 * Gemini `finishReason` (the SDK's `FinishReason` enum, @google/genai 3.1.0) → reasonq.
 * `length` with an empty answer becomes an `incomplete` job (reasoning ate the budget).
 * `CONTINUATION` (generation paused at a per-request limit; reasonq turns the SDK's
 * automatic continuation off so every provider call is its own attempt) is `length` too.
 * A prompt blocked before any candidate (`promptFeedback.blockReason`) is `content_filter`.
 */
const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  CONTINUATION: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  LANGUAGE: "error",
  OTHER: "error",
  MALFORMED_FUNCTION_CALL: "error",
  UNEXPECTED_TOOL_CALL: "error",
  TOO_MANY_TOOL_CALLS: "error",
  MALFORMED_RESPONSE: "error",
  NO_IMAGE: "error",
  IMAGE_OTHER: "error",
  FINISH_REASON_UNSPECIFIED: "error",
};

/** Unknown values (a reason Google adds later) are `error`, with the raw value kept. */
export function mapGoogleFinishReason(raw: string): FinishReason {
  return FINISH_REASONS[raw] ?? "error";
}
