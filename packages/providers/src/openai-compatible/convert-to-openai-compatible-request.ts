import { type JobSpec, type Message, ReasonqError, type SamplingParams } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { checkSampling, maxOutputTokensFor } from "../shared/check-request.ts";
import { mapOpenAICompatibleReasoning } from "./map-openai-compatible-reasoning.ts";
import { type OpenAICompatibleProfile, reasoningRequestFor } from "./openai-compatible-profiles.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Fields of the body that are transport, not parameters: never part of `resolvedParams`. */
const NOT_PARAMS = new Set(["model", "messages", "stream", "stream_options"]);

/**
 * `prepare` of every profile: a JobSpec → the Chat Completions body, refusing what the
 * model cannot honour. Pure: the key is only checked for presence.
 */
export function convertToOpenAICompatibleRequest(
  spec: JobSpec,
  model: ModelInfo,
  profile: OpenAICompatibleProfile,
  apiKey: string | undefined,
): PreparedRequest {
  if (profile.requiresApiKey && (apiKey === undefined || apiKey === "")) {
    throw new ReasonqError(
      "invalid_request",
      `${profile.apiKeyEnv} is not set, so reasonq cannot call ${profile.label}`,
      { field: "model" },
    );
  }
  checkSampling(spec.sampling, model);
  const maxTokens = maxOutputTokensFor(spec, model);
  const reasoning = mapOpenAICompatibleReasoning(spec.reasoning, model, reasoningRequestFor(profile, model.model));
  const body: Record<string, unknown> = {
    model: model.model,
    messages: toChatMessages(spec.messages),
    max_tokens: maxTokens,
    ...reasoning.value,
    ...samplingParams(spec.sampling),
    ...profile.extraBody,
  };
  return { model, resolvedParams: resolvedParams(body), warnings: reasoning.warnings, body };
}

export function resolvedParams(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !NOT_PARAMS.has(key)));
}

/** `developer` is OpenAI's newer name for `system`; other servers know only `system`. */
export function toChatMessages(messages: readonly Message[]): ChatMessage[] {
  return messages.map((m) => ({ role: m.role === "developer" ? "system" : m.role, content: m.content }));
}

export function samplingParams(sampling: SamplingParams): Record<string, unknown> {
  return Object.fromEntries(Object.entries(sampling).filter(([, value]) => value !== undefined));
}
