import { type ProviderConnection, type ProviderEvent, ReasonqError } from "@reasonq/core";
import type { ProviderAdapter } from "../adapter.ts";
import { type ChatDialect, ChatEventMapper } from "../openai-compatible/chat-completion-events.ts";
import { classifyErrorBody } from "../openai-compatible/classify-openai-compatible-error.ts";
import { field } from "../openai-compatible/openai-compatible-api-types.ts";
import { createChatClient, streamChatCompletion } from "../openai-compatible/stream-chat-completion.ts";
import { classifyDeepSeekError, DEEPSEEK_MESSAGE_RULES } from "./classify-deepseek-error.ts";
import { convertDeepSeekUsage } from "./convert-deepseek-usage.ts";
import { convertToDeepSeekRequest } from "./convert-to-deepseek-request.ts";
import { INSUFFICIENT_SYSTEM_RESOURCE, mapDeepSeekFinishReason } from "./map-deepseek-finish-reason.ts";

export const DEEPSEEK_BASE_URL = "https://api.deepseek.com";

/**
 * Under load DeepSeek holds a stream open with `: keep-alive` comments for up to 10
 * minutes before inference starts (providers.md §5.4). The SDK hides comments, so the
 * idle guard must outlast DeepSeek's own cut-off rather than fire during a healthy wait.
 */
export const DEEPSEEK_IDLE_TIMEOUT_MS = 11 * 60 * 1000;

export interface DeepSeekAdapterOptions {
  /** A stream silent this long fails as dropped (default DEEPSEEK_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
}

const DIALECT: ChatDialect = {
  provider: "deepseek",
  reasoningFields: ["reasoning_content"],
  convertUsage: convertDeepSeekUsage,
  mapFinish: mapDeepSeekFinishReason,
};

export function createDeepSeekAdapter(
  connection: ProviderConnection,
  options: DeepSeekAdapterOptions = {},
): ProviderAdapter {
  let client: ReturnType<typeof createChatClient> | undefined;
  return {
    family: "deepseek",
    prepare: (spec, model) => convertToDeepSeekRequest(spec, model, connection.apiKey),
    async *stream(request, streamOptions) {
      client ??= createChatClient({
        ...(connection.apiKey === undefined ? {} : { apiKey: connection.apiKey }),
        baseUrl: connection.baseUrl ?? DEEPSEEK_BASE_URL,
      });
      const events = streamChatCompletion(request.body, streamOptions, {
        client,
        dialect: DIALECT,
        idleTimeoutMs: options.idleTimeoutMs ?? DEEPSEEK_IDLE_TIMEOUT_MS,
      });
      for await (const event of events) {
        if (isResourceCut(event)) {
          throw new ReasonqError(
            "provider_overloaded",
            "deepseek stopped the generation: insufficient system resource (finish_reason insufficient_system_resource)",
          );
        }
        yield event;
      }
    },
    mapResponse(body) {
      const error = field(body, "error");
      if (error !== undefined && error !== null) {
        throw classifyErrorBody(error, { provider: "deepseek", rules: DEEPSEEK_MESSAGE_RULES });
      }
      return new ChatEventMapper(DIALECT).mapResponse(body);
    },
    classifyError: classifyDeepSeekError,
  };
}

/** Usage has already been passed on when the finish arrives, so the cut attempt is still billed. */
function isResourceCut(event: ProviderEvent): boolean {
  return event.type === "finish" && event.raw === INSUFFICIENT_SYSTEM_RESOURCE;
}
