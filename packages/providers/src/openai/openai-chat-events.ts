/**
 * Chat Completions → provider events, streaming and not. Chat Completions never returns
 * reasoning text (providers.md §1.2), so only `text-delta`, `tool-call`, `usage` and
 * `finish` come out besides the id; the reasoning is known by its token count alone (`hidden`).
 */
import { type ProviderEvent, ReasonqError } from "@reasonq/core";
import { ToolCallAccumulator } from "../shared/tool-call-deltas.ts";
import { convertChatUsage } from "./convert-openai-usage.ts";
import { mapChatFinishReason } from "./map-openai-finish-reason.ts";
import { list, record, str } from "./openai-api-types.ts";

/**
 * Folds `chat.completion.chunk`s. The finish is held back until the stream has ended, and
 * a stream that ends without `finish_reason` or without its usage chunk (we always ask for
 * `include_usage`) counts as dropped: its cost would be unknown.
 */
export class ChatStreamMapper {
  #idSent = false;
  #finish: string | null = null;
  #usage = false;
  readonly #tools = new ToolCallAccumulator();

  push(chunk: unknown): ProviderEvent[] {
    const c = record(chunk);
    if (c === undefined) return [];
    const events: ProviderEvent[] = [];
    const id = str(c.id);
    if (!this.#idSent && id !== undefined && id !== "") {
      this.#idSent = true;
      events.push({ type: "response-id", id });
    }
    const choice = firstChoice(c.choices);
    const delta = record(choice?.delta);
    for (const text of [str(delta?.content), str(delta?.refusal)]) {
      if (text !== undefined && text !== "") events.push({ type: "text-delta", text });
    }
    this.#tools.push(delta?.tool_calls);
    const finish = str(choice?.finish_reason);
    if (finish !== undefined) this.#finish = finish;
    const usage = convertChatUsage(c.usage);
    if (usage !== undefined) {
      this.#usage = true;
      events.push({ type: "usage", usage });
    }
    return events;
  }

  end(): ProviderEvent[] {
    if (this.#finish === null) {
      throw new ReasonqError("provider_stream_dropped", "openai: the stream ended before a finish_reason");
    }
    if (!this.#usage) {
      throw new ReasonqError("provider_stream_dropped", "openai: the stream ended before its usage chunk");
    }
    return [...this.#tools.events(), { type: "finish", reason: mapChatFinishReason(this.#finish), raw: this.#finish }];
  }
}

/** A complete `chat.completion` body → the events its stream would have given. */
export function mapChatCompletion(body: unknown): ProviderEvent[] {
  const b = record(body);
  const events: ProviderEvent[] = [];
  const id = str(b?.id);
  if (id !== undefined && id !== "") events.push({ type: "response-id", id });
  const choice = firstChoice(b?.choices);
  const message = record(choice?.message);
  for (const text of [str(message?.content), str(message?.refusal)]) {
    if (text !== undefined && text !== "") events.push({ type: "text-delta", text });
  }
  const tools = new ToolCallAccumulator();
  tools.pushWhole(message?.tool_calls);
  events.push(...tools.events());
  const usage = convertChatUsage(b?.usage);
  if (usage !== undefined) events.push({ type: "usage", usage });
  const finish = str(choice?.finish_reason) ?? null;
  events.push({ type: "finish", reason: mapChatFinishReason(finish), raw: finish });
  return events;
}

/** reasonq asks for one choice (n = 1): index 0. */
function firstChoice(choices: unknown) {
  const all = list(choices);
  return record(all.find((x) => record(x)?.index === 0) ?? all[0]);
}
