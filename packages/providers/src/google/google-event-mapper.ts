import { randomUUID } from "node:crypto";
import type { FinishReason, ProviderEvent } from "@reasonq/core";
import { convertGoogleUsage } from "./convert-google-usage.ts";
import type { GeminiResponse, GeminiResponsePart, GeminiUsageMetadata } from "./google-api-types.ts";
import { mapGoogleFinishReason } from "./map-google-finish-reason.ts";

/**
 * Gemini responses → reasonq events, for a stream (one chunk at a time) and for a whole
 * `generateContent` response alike, so the two cannot disagree.
 *
 * - `thought: true` parts are reasoning (thought summaries), the rest is the answer.
 * - A `thoughtSignature` (on an answer part, a function-call part or an empty trailing
 *   part) becomes a `thinking-block` `{ type: "thinking", thinking, signature }`: the
 *   signature verbatim, with the thought text received since the previous signature.
 *   That keeps the signature with the reasoning it seals in the job's `thinking_blocks`.
 *   A signature on a `functionCall` part names the call (`tool_call_id`), so it goes back
 *   on that part in the next turn.
 * - A `functionCall` part becomes a `tool-call`; Gemini's own call id is used when it
 *   gives one, else a fresh one (results are matched to calls by it).
 * - `usageMetadata` is a running total on every chunk: each is passed on (the assembler
 *   keeps the last).
 * - The finish reason is held until the end, so `finish` is always the last event.
 */
export class GoogleEventMapper {
  #responseId: string | null = null;
  #thought = "";
  #finish: { reason: FinishReason; raw: string } | null = null;

  push(chunk: unknown): ProviderEvent[] {
    if (!isRecord(chunk)) return [];
    const response = chunk as GeminiResponse;
    const events: ProviderEvent[] = [];
    if (this.#responseId === null && typeof response.responseId === "string" && response.responseId !== "") {
      this.#responseId = response.responseId;
      events.push({ type: "response-id", id: response.responseId });
    }

    const candidate = Array.isArray(response.candidates) ? response.candidates[0] : undefined;
    const parts = isRecord(candidate) && isRecord(candidate.content) ? candidate.content.parts : undefined;
    for (const part of Array.isArray(parts) ? parts : []) {
      if (isRecord(part)) this.#part(part as GeminiResponsePart, events);
    }

    if (isRecord(response.usageMetadata)) {
      events.push({ type: "usage", usage: convertGoogleUsage(response.usageMetadata as GeminiUsageMetadata) });
    }
    const finishReason = isRecord(candidate) ? candidate.finishReason : undefined;
    const blockReason = isRecord(response.promptFeedback) ? response.promptFeedback.blockReason : undefined;
    if (typeof finishReason === "string" && finishReason !== "") {
      this.#finish = { reason: mapGoogleFinishReason(finishReason), raw: finishReason };
    } else if (typeof blockReason === "string" && blockReason !== "") {
      this.#finish = { reason: "content_filter", raw: blockReason };
    }
    return events;
  }

  /** Whether the provider said why it stopped; a stream that ends without it was cut. */
  get finished(): boolean {
    return this.#finish !== null;
  }

  /** The closing `finish` event, once every chunk has been pushed. */
  end(): ProviderEvent[] {
    return this.#finish === null ? [] : [{ type: "finish", reason: this.#finish.reason, raw: this.#finish.raw }];
  }

  #part(part: GeminiResponsePart, events: ProviderEvent[]): void {
    const text = typeof part.text === "string" ? part.text : "";
    let callId: string | undefined;
    if (isRecord(part.functionCall) && typeof part.functionCall.name === "string") {
      const given = part.functionCall.id;
      callId =
        typeof given === "string" && given !== "" ? given : `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
      const args = JSON.stringify(part.functionCall.args ?? {});
      events.push({
        type: "tool-call",
        call: { id: callId, type: "function", function: { name: part.functionCall.name, arguments: args } },
      });
    }
    if (part.thought === true) {
      if (text !== "") {
        this.#thought += text;
        events.push({ type: "reasoning-delta", text });
      }
    } else if (text !== "") {
      events.push({ type: "text-delta", text });
    }
    if (typeof part.thoughtSignature === "string" && part.thoughtSignature !== "") {
      events.push({
        type: "thinking-block",
        block: {
          type: "thinking",
          thinking: this.#thought,
          signature: part.thoughtSignature,
          ...(callId === undefined ? {} : { tool_call_id: callId }),
        },
      });
      this.#thought = "";
    }
  }
}

/** A whole response (or the JSON array a non-SSE stream returns) → its events. */
export function mapGoogleResponse(body: unknown): ProviderEvent[] {
  const mapper = new GoogleEventMapper();
  const chunks = Array.isArray(body) ? body : [body];
  return [...chunks.flatMap((chunk) => mapper.push(chunk)), ...mapper.end()];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
