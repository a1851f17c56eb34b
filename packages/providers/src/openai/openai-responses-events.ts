/**
 * Responses API → provider events, streaming and not (providers.md §2.2, §2.3).
 * Reasoning summary text becomes `reasoning-delta` (the catalog marks these models
 * `summary`); summary parts are joined by a blank line, in the stream and in a complete
 * response alike, so both assemble to the same text. The reasoning item's
 * `encrypted_content` is not kept: core has no field for it (see docs/providers.md).
 */
import { type ProviderEvent, ReasonqError } from "@reasonq/core";
import { classifyStreamError, factsOf } from "./classify-openai-error.ts";
import { convertResponsesUsage } from "./convert-openai-usage.ts";
import { mapResponsesFinish } from "./map-openai-finish-reason.ts";
import { type Json, list, record, str } from "./openai-api-types.ts";

const PART_SEPARATOR = "\n\n";

export class ResponsesStreamMapper {
  #idSent = false;
  #reasoningSeen = false;
  #separate = false;
  #terminal = false;

  push(event: unknown): ProviderEvent[] {
    const e = record(event);
    if (e === undefined) return [];
    switch (e.type) {
      case "response.created":
      case "response.queued":
      case "response.in_progress":
        return this.#id(record(e.response));
      case "response.reasoning_summary_part.added":
        // A new part after earlier text: separate it, once its first text arrives.
        if (this.#reasoningSeen) this.#separate = true;
        return [];
      case "response.reasoning_summary_text.delta": {
        const delta = str(e.delta);
        if (delta === undefined || delta === "") return [];
        const text = this.#separate ? `${PART_SEPARATOR}${delta}` : delta;
        this.#separate = false;
        this.#reasoningSeen = true;
        return [{ type: "reasoning-delta", text }];
      }
      case "response.output_text.delta":
      case "response.refusal.delta": {
        const delta = str(e.delta);
        return delta === undefined || delta === "" ? [] : [{ type: "text-delta", text: delta }];
      }
      case "response.completed":
      case "response.incomplete": {
        this.#terminal = true;
        const response = record(e.response);
        return [...this.#id(response), ...closing(response)];
      }
      case "response.failed": {
        const response = record(e.response);
        throw classifyStreamError(factsOf(response?.error, "the response failed"), e);
      }
      case "error":
        // The SDK throws on `event: error` itself; this covers a body replayed without it.
        throw classifyStreamError(factsOf(e, "error event"), e);
      default:
        return [];
    }
  }

  end(): ProviderEvent[] {
    if (!this.#terminal) {
      throw new ReasonqError("provider_stream_dropped", "openai: the stream ended before response.completed");
    }
    return [];
  }

  #id(response: Json | undefined): ProviderEvent[] {
    const id = str(response?.id);
    if (this.#idSent || id === undefined || id === "") return [];
    this.#idSent = true;
    return [{ type: "response-id", id }];
  }
}

/** A complete `response` object → the events its stream would have given. */
export function mapResponsesResponse(body: unknown): ProviderEvent[] {
  const response = record(body);
  const events: ProviderEvent[] = [];
  const id = str(response?.id);
  if (id !== undefined && id !== "") events.push({ type: "response-id", id });
  const summaries: string[] = [];
  let answer = "";
  for (const item of list(response?.output).map(record)) {
    if (item?.type === "reasoning") {
      for (const part of list(item.summary).map(record)) {
        const text = str(part?.text);
        if (text !== undefined && text !== "") summaries.push(text);
      }
    } else if (item?.type === "message") {
      for (const part of list(item.content).map(record)) {
        if (part?.type === "output_text") answer += str(part.text) ?? "";
        else if (part?.type === "refusal") answer += str(part.refusal) ?? "";
      }
    }
  }
  if (summaries.length > 0) events.push({ type: "reasoning-delta", text: summaries.join(PART_SEPARATOR) });
  if (answer !== "") events.push({ type: "text-delta", text: answer });
  events.push(...closing(response));
  return events;
}

/** Usage and finish from a terminal response object. */
function closing(response: Json | undefined): ProviderEvent[] {
  const events: ProviderEvent[] = [];
  const usage = convertResponsesUsage(response?.usage);
  if (usage !== undefined) events.push({ type: "usage", usage });
  const status = str(response?.status);
  if (status === "queued" || status === "in_progress") return events;
  const { reason, raw } = mapResponsesFinish(status, str(record(response?.incomplete_details)?.reason));
  events.push({ type: "finish", reason, raw });
  return events;
}
