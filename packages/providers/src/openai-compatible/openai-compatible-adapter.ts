import type { ProviderConnection } from "@reasonq/core";
import type { ProviderAdapter } from "../adapter.ts";
import { DEFAULT_IDLE_TIMEOUT_MS } from "../shared/idle-timeout.ts";
import { type ChatDialect, ChatEventMapper } from "./chat-completion-events.ts";
import { classifyErrorBody, classifyOpenAICompatibleError } from "./classify-openai-compatible-error.ts";
import { convertOpenAICompatibleUsage } from "./convert-openai-compatible-usage.ts";
import { convertToOpenAICompatibleRequest } from "./convert-to-openai-compatible-request.ts";
import { mapOpenAICompatibleFinishReason } from "./map-openai-compatible-finish-reason.ts";
import { field } from "./openai-compatible-api-types.ts";
import type { OpenAICompatibleProfile } from "./openai-compatible-profiles.ts";
import { createChatClient, streamChatCompletion } from "./stream-chat-completion.ts";

export interface OpenAICompatibleAdapterOptions {
  /** The vendor: its family, base URL, key variable, reasoning knob and fields, usage convention. */
  profile: OpenAICompatibleProfile;
  /** A stream silent this long fails as dropped (default DEFAULT_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
}

export function profileDialect(profile: OpenAICompatibleProfile): ChatDialect {
  return {
    provider: profile.family,
    reasoningFields: profile.reasoningFields,
    convertUsage: (raw) => convertOpenAICompatibleUsage(raw, profile.usageConvention),
    mapFinish: mapOpenAICompatibleFinishReason,
  };
}

/**
 * One adapter for every OpenAI-compatible vendor; what differs is the profile (data).
 * Each profile is registered as its own family, so each vendor has its own queue.
 */
export function createOpenAICompatibleAdapter(
  connection: ProviderConnection,
  options: OpenAICompatibleAdapterOptions,
): ProviderAdapter {
  const { profile } = options;
  const dialect = profileDialect(profile);
  const context = { provider: profile.family };
  const baseUrl = connection.baseUrl ?? profile.baseUrl;
  let client: ReturnType<typeof createChatClient> | undefined;
  return {
    family: profile.family,
    prepare: (spec, model) => convertToOpenAICompatibleRequest(spec, model, profile, connection.apiKey),
    stream(request, streamOptions) {
      client ??= createChatClient({
        ...(connection.apiKey === undefined ? {} : { apiKey: connection.apiKey }),
        baseUrl,
      });
      return streamChatCompletion(request.body, streamOptions, {
        client,
        dialect,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      });
    },
    mapResponse(body) {
      // OpenRouter answers an error after processing started with HTTP 200 and `{error}`.
      const error = field(body, "error");
      if (error !== undefined && error !== null) throw classifyErrorBody(error, context);
      return new ChatEventMapper(dialect).mapResponse(body);
    },
    classifyError: (error) => classifyOpenAICompatibleError(error, context),
  };
}
