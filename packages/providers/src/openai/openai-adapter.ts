/**
 * OpenAI reasoning models through the official `openai` SDK. `prepare` chooses the API
 * per model and request (map-openai-reasoning.ts): the Responses API where it returns
 * reasoning summaries and `include` asks for them, Chat Completions otherwise. `stream`
 * always streams; the SDK never retries (`maxRetries: 0`: the queue retries and must see
 * every failure), a healthy stream may run for an hour, and a silent one is cut after
 * `idleTimeoutMs`.
 */
import { type JobSpec, type ProviderConnection, type ProviderEvent, ReasonqError } from "@reasonq/core";
import type OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions/completions";
import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from "openai/resources/responses/responses";
import type { ModelInfo, PreparedRequest, ProviderAdapter, StreamOptions } from "../adapter.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, withIdleTimeout } from "../shared/idle-timeout.ts";
import { classifyOpenAIError } from "./classify-openai-error.ts";
import { convertToOpenAIRequest } from "./convert-to-openai-request.ts";
import { isResponsesBody, record } from "./openai-api-types.ts";
import { ChatStreamMapper, mapChatCompletion } from "./openai-chat-events.ts";
import { mapResponsesResponse, ResponsesStreamMapper } from "./openai-responses-events.ts";
import { lazyOpenAIClient } from "./openai-sdk-client.ts";

/** Long enough for any healthy reasoning stream; silence is caught by the idle timeout. */
const REQUEST_TIMEOUT_MS = 60 * 60_000;
/**
 * Chat Completions sends nothing at all while a model reasons (providers.md §1.3: the
 * first content delta may come minutes in), so OpenAI's idle limit is far longer than the
 * shared default; Responses streams are bounded by it too, which only delays noticing a
 * dead one.
 */
const OPENAI_IDLE_TIMEOUT_MS = Math.max(DEFAULT_IDLE_TIMEOUT_MS, 15 * 60_000);

export interface OpenAIAdapterOptions {
  /** A stream silent this long is dropped (retryable). Tests pass a small value. */
  idleTimeoutMs?: number;
}

/**
 * @param connection `OPENAI_API_KEY` and `OPENAI_BASE_URL`; the base URL includes the
 *   version path, as the SDK expects (`https://api.openai.com/v1`, `http://127.0.0.1:PORT/v1`).
 */
export function createOpenAIAdapter(
  connection: ProviderConnection,
  options: OpenAIAdapterOptions = {},
): ProviderAdapter {
  const sdk = lazyOpenAIClient(connection, { timeout: REQUEST_TIMEOUT_MS });
  const idleMs = options.idleTimeoutMs ?? OPENAI_IDLE_TIMEOUT_MS;

  return {
    family: "openai",
    prepare(spec: JobSpec, model: ModelInfo): PreparedRequest {
      if (connection.apiKey === undefined || connection.apiKey === "") {
        throw new ReasonqError("invalid_request", "OPENAI_API_KEY is not set, so reasonq cannot call OpenAI", {
          field: "model",
        });
      }
      return convertToOpenAIRequest(spec, model);
    },
    stream: (request, streamOptions) => streamOpenAI(sdk(), request, streamOptions, idleMs),
    mapResponse: mapOpenAIResponse,
    classifyError: classifyOpenAIError,
  };
}

async function* streamOpenAI(
  client: OpenAI,
  request: PreparedRequest,
  { signal }: StreamOptions,
  idleMs: number,
): AsyncGenerator<ProviderEvent> {
  throwIfAborted(signal);
  // One controller for the HTTP request: the caller's abort and the idle timeout both end it.
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  try {
    const source = isResponsesBody(request.body)
      ? responsesEvents(client, request.body, controller.signal)
      : chatEvents(client, request.body, controller.signal);
    yield* withIdleTimeout(source, idleMs, () => controller.abort(new Error("idle stream")));
  } finally {
    signal.removeEventListener("abort", forward);
  }
}

async function* chatEvents(
  client: OpenAI,
  body: Record<string, unknown>,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent> {
  // Built by convertToOpenAIRequest, never by a client: the cast reads back our own shape.
  const params = body as unknown as ChatCompletionCreateParamsStreaming;
  const stream = await client.chat.completions.create(params, { signal });
  const mapper = new ChatStreamMapper();
  for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) yield* mapper.push(chunk);
  throwIfAborted(signal);
  yield* mapper.end();
}

async function* responsesEvents(
  client: OpenAI,
  body: Record<string, unknown>,
  signal: AbortSignal,
): AsyncGenerator<ProviderEvent> {
  const params = body as unknown as ResponseCreateParamsStreaming;
  const stream = await client.responses.create(params, { signal });
  const mapper = new ResponsesStreamMapper();
  for await (const event of stream as AsyncIterable<ResponseStreamEvent>) yield* mapper.push(event);
  throwIfAborted(signal);
  yield* mapper.end();
}

/** The SDK ends an aborted stream quietly; an aborted call must not look finished. */
function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException("the openai request was aborted", "AbortError");
}

/** A logged Chat Completions or Responses body → the events its stream would have given. */
export function mapOpenAIResponse(body: unknown): ProviderEvent[] {
  const object = record(body)?.object;
  if (object === "chat.completion") return mapChatCompletion(body);
  if (object === "response") return mapResponsesResponse(body);
  throw new ReasonqError(
    "invalid_request",
    'not an OpenAI response: expected a Chat Completions body (object "chat.completion") or a Responses body (object "response")',
    { field: "response" },
  );
}
