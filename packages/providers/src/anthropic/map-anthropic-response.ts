import { type ProviderEvent, ReasonqError } from "@reasonq/core";
import { asThinkingBlock, asToolCall, isRecord, THINKING_SEPARATOR } from "./anthropic-stream-events.ts";
import { type AnthropicUsage, convertAnthropicUsage } from "./convert-anthropic-usage.ts";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.ts";

/**
 * A complete non-streaming Messages response (providers.md §3.3) → the events its stream
 * would have produced, with the same paragraph break between thinking blocks, so a logged
 * call and a run job assemble to the same output and usage.
 */
export function mapAnthropicResponse(body: unknown): ProviderEvent[] {
  if (!isRecord(body) || !Array.isArray(body.content)) {
    throw new ReasonqError("invalid_request", "not an Anthropic Messages response: `content` must be an array", {
      field: "response.content",
    });
  }
  const events: ProviderEvent[] = [];
  if (typeof body.id === "string") events.push({ type: "response-id", id: body.id });

  let reasoningSent = false;
  for (const block of body.content) {
    if (!isRecord(block)) continue;
    if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
      events.push({ type: "text-delta", text: block.text });
      continue;
    }
    const call = asToolCall(block);
    if (call !== null) {
      events.push(call);
      continue;
    }
    const thinking = asThinkingBlock(block);
    if (thinking === null) continue;
    if (thinking.type === "thinking" && thinking.thinking !== "") {
      if (reasoningSent) events.push({ type: "reasoning-delta", text: THINKING_SEPARATOR });
      events.push({ type: "reasoning-delta", text: thinking.thinking });
      reasoningSent = true;
    }
    events.push({ type: "thinking-block", block: thinking });
  }

  if (isRecord(body.usage)) events.push({ type: "usage", usage: convertAnthropicUsage(body.usage as AnthropicUsage) });
  const stopReason = typeof body.stop_reason === "string" ? body.stop_reason : null;
  events.push({ type: "finish", reason: mapAnthropicFinishReason(stopReason), raw: stopReason });
  return events;
}
