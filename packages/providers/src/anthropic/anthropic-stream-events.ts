import { APIError } from "@anthropic-ai/sdk";
import type { ServerSentEvent } from "@anthropic-ai/sdk/core/streaming";
import { type ProviderEvent, ReasonqError, type ThinkingBlock } from "@reasonq/core";
import { type AnthropicUsage, convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage.ts";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.ts";

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Between two thinking blocks' texts, so the stored reasoning reads as paragraphs. */
export const THINKING_SEPARATOR = "\n\n";

/**
 * One raw SSE message → the event object it carries, or null for keep-alives (`ping`) and
 * empty messages. `event: error` inside a 200 stream throws the same `APIError` (no status)
 * the SDK's own stream throws (providers.md §7.2). The adapter reads raw messages rather than
 * the SDK's parsed stream because the latter drops `ping`: during a long thinking phase with
 * `display: "omitted"` pings are all that arrives, and they must count as signs of life.
 */
export function decodeAnthropicSse(sse: ServerSentEvent, headers: Headers): unknown {
  if (sse.event === null || sse.event === "ping" || sse.data === "") return null;
  const parsed = parseJson(sse.data);
  if (sse.event === "error") {
    const type = isRecord(parsed) && isRecord(parsed.error) ? parsed.error.type : undefined;
    throw new APIError(
      undefined,
      parsed ?? sse.data,
      undefined,
      headers,
      typeof type === "string" ? (type as never) : null,
    );
  }
  if (parsed === undefined) {
    throw new ReasonqError("provider_server_error", `anthropic sent an unreadable ${sse.event} event`);
  }
  return parsed;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The state machine over Anthropic's SSE events (providers.md §3.4): message_start →
 * (content_block_start → content_block_delta* → content_block_stop)* → message_delta →
 * message_stop. Thinking text goes out as `reasoning-delta`s as it arrives; when a thinking
 * or redacted_thinking block stops, the whole block goes out verbatim (every field the API
 * sent, signature included) as `thinking-block`; a finished `tool_use` block (its input
 * streamed as `input_json_delta` text) goes out as a `tool-call`. Usage is cumulative, so
 * each report replaces the last. Events of unknown types (future additions) are passed over.
 */
export class AnthropicStreamTranslator {
  readonly #blocks = new Map<number, JsonRecord>();
  readonly #reasoningStarted = new Set<number>();
  #reasoningSent = false;
  #usage: AnthropicUsage | undefined;
  #stopReason: string | null = null;
  #stopped = false;

  /** True once `message_stop` arrived: anything short of it is a dropped stream. */
  get completed(): boolean {
    return this.#stopped;
  }

  push(event: unknown): ProviderEvent[] {
    if (!isRecord(event)) return [];
    switch (event.type) {
      case "message_start":
        return this.#messageStart(event);
      case "content_block_start":
        return this.#blockStart(event);
      case "content_block_delta":
        return this.#blockDelta(event);
      case "content_block_stop":
        return this.#blockStop(event);
      case "message_delta":
        return this.#messageDelta(event);
      case "message_stop":
        this.#stopped = true;
        return [{ type: "finish", reason: mapAnthropicFinishReason(this.#stopReason), raw: this.#stopReason }];
      default:
        return [];
    }
  }

  #messageStart(event: JsonRecord): ProviderEvent[] {
    const message = isRecord(event.message) ? event.message : {};
    const out: ProviderEvent[] = [];
    if (typeof message.id === "string") out.push({ type: "response-id", id: message.id });
    if (isRecord(message.usage)) out.push(this.#report(message.usage));
    return out;
  }

  #blockStart(event: JsonRecord): ProviderEvent[] {
    if (typeof event.index !== "number" || !isRecord(event.content_block)) return [];
    const block = { ...event.content_block };
    this.#blocks.set(event.index, block);
    if (block.type === "thinking") return this.#reasoning(event.index, block.thinking);
    if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
      return [{ type: "text-delta", text: block.text }];
    }
    return [];
  }

  #blockDelta(event: JsonRecord): ProviderEvent[] {
    const block = typeof event.index === "number" ? this.#blocks.get(event.index) : undefined;
    const delta = event.delta;
    if (block === undefined || !isRecord(delta)) return [];
    switch (delta.type) {
      case "thinking_delta": {
        if (typeof delta.thinking !== "string") return [];
        block.thinking = `${typeof block.thinking === "string" ? block.thinking : ""}${delta.thinking}`;
        return this.#reasoning(event.index as number, delta.thinking);
      }
      case "signature_delta":
        // One signature_delta just before content_block_stop carries the whole signature.
        if (typeof delta.signature === "string") block.signature = delta.signature;
        return [];
      case "input_json_delta":
        if (typeof delta.partial_json === "string") {
          block.partial_json = `${typeof block.partial_json === "string" ? block.partial_json : ""}${delta.partial_json}`;
        }
        return [];
      case "text_delta":
        if (typeof delta.text !== "string" || delta.text === "") return [];
        block.text = `${typeof block.text === "string" ? block.text : ""}${delta.text}`;
        return [{ type: "text-delta", text: delta.text }];
      default:
        return [];
    }
  }

  #blockStop(event: JsonRecord): ProviderEvent[] {
    const block = typeof event.index === "number" ? this.#blocks.get(event.index) : undefined;
    if (block === undefined) return [];
    if (block.type === "tool_use") {
      const { partial_json, ...toolUse } = block;
      const call = asToolCall(
        typeof partial_json === "string" && partial_json !== "" ? { ...toolUse, input: partial_json } : toolUse,
      );
      return call === null ? [] : [call];
    }
    const thinking = asThinkingBlock(block);
    return thinking === null ? [] : [{ type: "thinking-block", block: thinking }];
  }

  #messageDelta(event: JsonRecord): ProviderEvent[] {
    if (isRecord(event.delta) && typeof event.delta.stop_reason === "string") {
      this.#stopReason = event.delta.stop_reason;
    }
    return isRecord(event.usage) ? [this.#report(event.usage)] : [];
  }

  #report(usage: JsonRecord): ProviderEvent {
    this.#usage = mergeAnthropicUsage(this.#usage, usage as AnthropicUsage);
    return { type: "usage", usage: convertAnthropicUsage(this.#usage) };
  }

  /** The first text of a later thinking block is preceded by a paragraph break. */
  #reasoning(index: number, text: unknown): ProviderEvent[] {
    if (typeof text !== "string" || text === "") return [];
    const out: ProviderEvent[] = [];
    if (!this.#reasoningStarted.has(index)) {
      this.#reasoningStarted.add(index);
      if (this.#reasoningSent) out.push({ type: "reasoning-delta", text: THINKING_SEPARATOR });
    }
    this.#reasoningSent = true;
    out.push({ type: "reasoning-delta", text });
    return out;
  }
}

/** A thinking or redacted_thinking block as the API sent it, or null for any other block. */
export function asThinkingBlock(block: JsonRecord): ThinkingBlock | null {
  if (block.type === "thinking" && typeof block.thinking === "string") {
    return { ...block, type: "thinking", thinking: block.thinking } as ThinkingBlock;
  }
  if (block.type === "redacted_thinking" && typeof block.data === "string") {
    return { ...block, type: "redacted_thinking", data: block.data } as ThinkingBlock;
  }
  return null;
}

/** A `tool_use` block → a tool call; `input` is the object, or the JSON text streamed for it. */
export function asToolCall(block: JsonRecord): ProviderEvent | null {
  if (block.type !== "tool_use" || typeof block.id !== "string" || typeof block.name !== "string") return null;
  const input = block.input ?? {};
  const args = typeof input === "string" ? input : JSON.stringify(input);
  return {
    type: "tool-call",
    call: { id: block.id, type: "function", function: { name: block.name, arguments: args } },
  };
}
