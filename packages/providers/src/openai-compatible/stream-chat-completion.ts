import type { ProviderEvent } from "@reasonq/core";
import OpenAI from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import type { StreamOptions } from "../adapter.ts";
import { throwIfAborted } from "../shared/abort.ts";
import { withIdleTimeout } from "../shared/idle-timeout.ts";
import { providerFetch } from "../shared/provider-fetch.ts";
import { type ChatDialect, ChatEventMapper } from "./chat-completion-events.ts";

/**
 * One HTTP request may legitimately stream for a long time (a 20-minute reasoning job);
 * silence is caught by the idle timeout instead, so this only bounds a hung socket.
 */
export const REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

export interface ChatConnection {
  /** Absent for keyless self-hosted servers: no Authorization header is sent then. */
  apiKey?: string;
  baseUrl: string;
}

/**
 * An `openai` SDK client for an OpenAI-compatible endpoint. Everything the SDK would read
 * from OPENAI_* environment variables is given explicitly (an OpenAI organisation or key
 * must never reach another vendor); retries are off because the queue retries and must
 * see every failure.
 */
export function createChatClient(connection: ChatConnection): OpenAI {
  const keyless = connection.apiKey === undefined || connection.apiKey === "";
  return new OpenAI({
    // The SDK insists on a key; a keyless server gets none, the header is removed below.
    apiKey: keyless ? "no-key" : connection.apiKey,
    adminAPIKey: null,
    organization: null,
    project: null,
    baseURL: connection.baseUrl,
    maxRetries: 0,
    timeout: REQUEST_TIMEOUT_MS,
    fetch: providerFetch,
    ...(keyless ? { defaultHeaders: { Authorization: null } } : {}),
  });
}

export interface ChatStreamTarget {
  client: OpenAI;
  dialect: ChatDialect;
  idleTimeoutMs: number;
}

/**
 * Streams one chat completion as ProviderEvents. The caller's signal cancels the HTTP
 * request; a stream silent for `idleTimeoutMs` (also while waiting for the response
 * headers) is aborted and fails as `provider_stream_dropped`. Errors are thrown raw;
 * the adapter's `classifyError` types them.
 */
export async function* streamChatCompletion(
  body: Record<string, unknown>,
  { signal }: StreamOptions,
  target: ChatStreamTarget,
): AsyncGenerator<ProviderEvent> {
  throwIfAborted(signal, target.dialect.provider);
  const idle = new AbortController();
  const requestSignal = AbortSignal.any([signal, idle.signal]);
  // Vendor fields (`thinking`, `reasoning`, `chat_template_kwargs`, …) pass through the
  // SDK in the body as they are; the SDK's type only knows OpenAI's own.
  const params = { ...body, stream: true, stream_options: { include_usage: true } };

  async function* chunks(): AsyncGenerator<unknown> {
    const stream = await target.client.chat.completions.create(
      params as unknown as ChatCompletionCreateParamsStreaming,
      { signal: requestSignal },
    );
    yield* stream;
  }

  const mapper = new ChatEventMapper(target.dialect);
  for await (const chunk of withIdleTimeout(chunks(), target.idleTimeoutMs, () => idle.abort())) {
    yield* mapper.push(chunk);
  }
  // The SDK ends an aborted stream quietly; the caller must still see the abort.
  throwIfAborted(signal, target.dialect.provider);
  yield* mapper.end();
}
