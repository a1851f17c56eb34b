import { ReasonqError } from "@reasonq/core";

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const CONVERSATION_FIELDS = new Set([
  "messages",
  "model",
  "usage",
  "id",
  "provider",
  "started_at",
  "completed_at",
  "metadata",
]);

/**
 * The conversation shape of `POST /v1/logs` — `{messages: [user…, assistant…], model,
 * usage?}`, as reasoning gateways hand it out — as the exchange it stands for: the last
 * assistant message is the response (a gateway chat completion, its `thinking_blocks` and
 * `tool_calls` kept), the turns before it are the request. Anything else passes unchanged.
 */
export function fromConversation(input: unknown): unknown {
  if (!isRecord(input) || !Array.isArray(input.messages) || "request" in input || "response" in input) return input;
  const unknown = Object.keys(input).find((key) => !CONVERSATION_FIELDS.has(key));
  if (unknown !== undefined) {
    throw new ReasonqError("invalid_request", `unknown field (not part of the API): ${unknown}`, { field: unknown });
  }
  const messages = input.messages;
  const last = messages.at(-1);
  if (!isRecord(last) || last.role !== "assistant" || messages.length < 2) {
    throw new ReasonqError(
      "invalid_request",
      "a logged conversation ends with the assistant message that answered it, after at least one earlier turn",
      { field: "messages" },
    );
  }
  if (typeof input.model !== "string") {
    throw new ReasonqError("invalid_request", "a logged conversation names its model", { field: "model" });
  }
  const calls = Array.isArray(last.tool_calls) && last.tool_calls.length > 0;
  const { messages: _messages, model, usage, id, ...rest } = input;
  return {
    ...rest,
    format: "gateway",
    request: { model, messages: messages.slice(0, -1) },
    response: {
      ...(id === undefined ? {} : { id }),
      object: "chat.completion",
      model,
      choices: [{ index: 0, message: last, finish_reason: calls ? "tool_calls" : "stop" }],
      ...(usage === undefined ? {} : { usage }),
    },
  };
}
