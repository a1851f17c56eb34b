import Anthropic from "@anthropic-ai/sdk";
import { Stream } from "@anthropic-ai/sdk/core/streaming";
import type { MessageCreateParamsStreaming } from "@anthropic-ai/sdk/resources/messages";
import { type ProviderEvent, ReasonqError } from "@reasonq/core";
import type { PreparedRequest, ProviderAdapter, StreamOptions } from "../adapter.ts";
import { throwIfAborted } from "../shared/abort.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, withIdleTimeout } from "../shared/idle-timeout.ts";
import { providerFetch } from "../shared/provider-fetch.ts";
import { AnthropicStreamTranslator, decodeAnthropicSse } from "./anthropic-stream-events.ts";
import { classifyAnthropicError } from "./classify-anthropic-error.ts";
import {
  type AnthropicApiVersion,
  type AnthropicRequestBody,
  convertToAnthropicRequest,
  DEFAULT_ANTHROPIC_API_VERSION,
} from "./convert-to-anthropic-request.ts";
import { mapAnthropicResponse } from "./map-anthropic-response.ts";

export interface AnthropicConnection {
  apiKey?: string;
  /** Without `/v1` (the SDK appends `/v1/messages`), e.g. a mock's `http://127.0.0.1:PORT`. */
  baseUrl?: string;
}

export interface AnthropicAdapterOptions {
  /** A stream silent this long is dropped (retryable). Tests pass a small value. */
  idleTimeoutMs?: number;
  /** `anthropic-version` to send; `2023-06-01` re-enables temperature/top_p/top_k by the older rules. */
  apiVersion?: AnthropicApiVersion;
  /** Send top-level `cache_control: {type: "ephemeral"}` (automatic prompt caching). */
  promptCaching?: boolean;
}

/** A healthy reasoning stream can run for twenty minutes and more; only silence ends it early. */
const REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

export function createAnthropicAdapter(
  connection: AnthropicConnection,
  options: AnthropicAdapterOptions = {},
): ProviderAdapter {
  const apiVersion = options.apiVersion ?? DEFAULT_ANTHROPIC_API_VERSION;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let client: Anthropic | undefined;
  const getClient = (apiKey: string) => {
    client ??= new Anthropic({
      apiKey,
      ...(connection.baseUrl === undefined ? {} : { baseURL: connection.baseUrl }),
      // The queue retries, and must see every failure.
      maxRetries: 0,
      timeout: REQUEST_TIMEOUT_MS,
      fetch: providerFetch,
      ...(apiVersion === DEFAULT_ANTHROPIC_API_VERSION ? {} : { defaultHeaders: { "anthropic-version": apiVersion } }),
    });
    return client;
  };

  return {
    family: "anthropic",
    prepare(spec, model) {
      requireKey(connection);
      return convertToAnthropicRequest(spec, model, { apiVersion, promptCaching: options.promptCaching ?? false });
    },
    stream: (request, streamOptions) =>
      streamAnthropic(request, streamOptions, () => getClient(requireKey(connection)), idleMs),
    mapResponse: (body) => mapAnthropicResponse(body),
    classifyError: (error) => classifyAnthropicError(error),
  };
}

function requireKey(connection: AnthropicConnection): string {
  if (connection.apiKey === undefined || connection.apiKey === "") {
    throw new ReasonqError("invalid_request", "ANTHROPIC_API_KEY is not set, so reasonq cannot call Anthropic", {
      field: "model",
    });
  }
  return connection.apiKey;
}

async function* streamAnthropic(
  request: PreparedRequest,
  { signal }: StreamOptions,
  client: () => Anthropic,
  idleMs: number,
): AsyncGenerator<ProviderEvent> {
  throwIfAborted(signal, "anthropic");
  // Built by convertToAnthropicRequest, never by a client: the cast reads back our own shape
  // (temperature/top_p/top_k are not in SDK 1.x's types but pass through under 2023-06-01).
  const body = request.body as unknown as AnthropicRequestBody;
  const controller = new AbortController();
  const abort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", abort, { once: true });

  // The request itself is inside the idle guard too: a server that never answers is silent.
  // Raw SSE messages, pings included (see decodeAnthropicSse); HTTP errors still throw the
  // SDK's typed errors, before any message.
  async function* messages() {
    const response = await client()
      .messages.create(body as unknown as MessageCreateParamsStreaming, { signal: controller.signal })
      .asResponse();
    for await (const sse of Stream.rawEvents(response, controller)) yield { sse, headers: response.headers };
  }

  try {
    const translator = new AnthropicStreamTranslator();
    for await (const { sse, headers } of withIdleTimeout(messages(), idleMs, () => controller.abort())) {
      // Messages already buffered are not passed on after a cancel.
      throwIfAborted(signal, "anthropic");
      const event = decodeAnthropicSse(sse, headers);
      if (event !== null) yield* translator.push(event);
    }
    throwIfAborted(signal, "anthropic");
    if (!translator.completed) {
      throw new ReasonqError("provider_stream_dropped", "the Anthropic stream ended before message_stop");
    }
  } finally {
    signal.removeEventListener("abort", abort);
  }
}
