import {
  type FinishReason,
  type ProviderEvent,
  ReasonqError,
  type ReportedUsage,
  type ThinkingBlock,
} from "@reasonq/core";
import { ToolCallAccumulator } from "../shared/tool-call-deltas.ts";
import {
  arrayField,
  firstChoice,
  isObject,
  objectField,
  type ReasoningDetail,
  stringField,
  type WireObject,
} from "./openai-compatible-api-types.ts";
import type { ReasoningField } from "./openai-compatible-profiles.ts";

/** What an OpenAI-shaped chat endpoint needs to be read: shared by DeepSeek and every profile. */
export interface ChatDialect {
  /** Names the provider in messages. */
  provider: string;
  reasoningFields: readonly ReasoningField[];
  convertUsage(raw: unknown): ReportedUsage | undefined;
  mapFinish(raw: string): FinishReason;
}

/**
 * Chat Completions chunks → ProviderEvents, as a small state machine: deltas are passed
 * on as they come; usage (which may ride on the finish chunk or follow it) and the
 * finish are held until the stream ends, then emitted after any thinking blocks.
 */
export class ChatEventMapper {
  readonly #dialect: ChatDialect;
  #id: string | null = null;
  #finish: string | null = null;
  #usage: ReportedUsage | undefined;
  #reasoningSeen = false;
  readonly #details: ReasoningDetail[] = [];
  readonly #tools = new ToolCallAccumulator();

  constructor(dialect: ChatDialect) {
    this.#dialect = dialect;
  }

  /** The events of one streamed chunk (`choices[0].delta`). */
  push(chunk: unknown): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    const id = stringField(chunk, "id");
    if (this.#id === null && id !== undefined && id !== "") {
      this.#id = id;
      events.push({ type: "response-id", id });
    }
    const usage = this.#dialect.convertUsage(objectField(chunk, "usage"));
    if (usage !== undefined) this.#usage = usage;
    const choice = firstChoice(chunk);
    const delta = objectField(choice, "delta");
    if (delta !== undefined) {
      events.push(...this.#content(delta, mergeDetails));
      this.#tools.push(delta.tool_calls);
    }
    const finish = stringField(choice, "finish_reason");
    if (finish !== undefined) this.#finish = finish;
    return events;
  }

  /** The events of a complete non-streaming response (`choices[0].message`). */
  mapResponse(body: unknown): ProviderEvent[] {
    const events = this.push({ ...(isObject(body) ? body : {}), choices: [] });
    const choice = firstChoice(body);
    const message = objectField(choice, "message");
    if (message !== undefined) {
      events.push(...this.#content(message, appendDetails));
      this.#tools.pushWhole(message.tool_calls);
    }
    const finish = stringField(choice, "finish_reason");
    if (finish !== undefined) this.#finish = finish;
    return [...events, ...this.end()];
  }

  /** Thinking blocks, usage and finish; throws when the stream ended without a finish reason. */
  end(): ProviderEvent[] {
    if (this.#finish === null) {
      throw new ReasonqError(
        "provider_stream_dropped",
        `the ${this.#dialect.provider} stream ended before a finish reason arrived`,
      );
    }
    const events: ProviderEvent[] = this.#details.map((detail) => ({ type: "thinking-block", block: toBlock(detail) }));
    events.push(...this.#tools.events());
    if (this.#usage !== undefined) events.push({ type: "usage", usage: this.#checkedUsage(this.#usage) });
    events.push({ type: "finish", reason: this.#dialect.mapFinish(this.#finish), raw: this.#finish });
    return events;
  }

  #content(
    part: WireObject,
    addDetails: (into: ReasoningDetail[], items: readonly unknown[]) => void,
  ): ProviderEvent[] {
    const events: ProviderEvent[] = [];
    let reasoning: string | undefined;
    for (const name of this.#dialect.reasoningFields) {
      if (name === "reasoning_details") continue;
      reasoning = stringField(part, name);
      if (reasoning !== undefined && reasoning !== "") break;
    }
    const items = this.#dialect.reasoningFields.includes("reasoning_details")
      ? arrayField(part, "reasoning_details")
      : undefined;
    if (items !== undefined) {
      addDetails(this.#details, items);
      // Only the structured form came: its text is the reasoning.
      if (reasoning === undefined || reasoning === "") reasoning = detailText(items);
    }
    if (reasoning !== undefined && reasoning !== "") {
      this.#reasoningSeen = true;
      events.push({ type: "reasoning-delta", text: reasoning });
    }
    const content = stringField(part, "content");
    if (content !== undefined && content !== "") events.push({ type: "text-delta", text: content });
    return events;
  }

  /** A reasoning count of 0 next to reasoning text is a provider's placeholder: estimate instead. */
  #checkedUsage(usage: ReportedUsage): ReportedUsage {
    if (usage.reasoning_tokens === 0 && this.#reasoningSeen) return { ...usage, reasoning_tokens: undefined };
    return usage;
  }
}

function detailText(items: readonly unknown[]): string {
  return items
    .map((item) => (isObject(item) && item.type === "reasoning.text" ? (stringField(item, "text") ?? "") : ""))
    .join("");
}

function appendDetails(into: ReasoningDetail[], items: readonly unknown[]): void {
  for (const item of items) if (isObject(item)) into.push({ ...item });
}

/**
 * Streamed `reasoning_details` come in fragments that share an `index`: their text,
 * summary and data are concatenated; other fields (signature, id, format) keep the last
 * value that arrived.
 */
function mergeDetails(into: ReasoningDetail[], items: readonly unknown[]): void {
  for (const item of items) {
    if (!isObject(item)) continue;
    const index = typeof item.index === "number" ? item.index : undefined;
    const existing = index === undefined ? undefined : into.find((d) => d.index === index && d.type === item.type);
    if (existing === undefined) {
      into.push({ ...item });
      continue;
    }
    const merged: Record<string, unknown> = { ...existing };
    for (const [key, value] of Object.entries(item)) {
      if (value === null || value === undefined) continue;
      const before = merged[key];
      const text = key === "text" || key === "summary" || key === "data";
      merged[key] = text && typeof before === "string" && typeof value === "string" ? before + value : value;
    }
    into[into.indexOf(existing)] = merged;
  }
}

/**
 * A `reasoning_details` item as a thinking block, with the item itself kept verbatim in
 * `detail` (what must be sent back to continue with signatures intact).
 */
function toBlock(detail: ReasoningDetail): ThinkingBlock {
  const type = stringField(detail, "type");
  if (type === "reasoning.encrypted")
    return { type: "redacted_thinking", data: stringField(detail, "data") ?? "", detail };
  const thinking = stringField(detail, type === "reasoning.summary" ? "summary" : "text") ?? "";
  const block: ThinkingBlock = { type: "thinking", thinking, detail };
  const signature = stringField(detail, "signature");
  if (signature !== undefined && signature !== "") block.signature = signature;
  return block;
}
