import { type JobSpec, type Message, ReasonqError, type SamplingParams } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { type ChatMessage, chatTools, toChatMessages } from "../shared/chat-messages.ts";
import { checkSampling, maxOutputTokensFor, refuseStructuredOutput } from "../shared/check-request.ts";
import { mapOpenAICompatibleReasoning } from "./map-openai-compatible-reasoning.ts";
import { type OpenAICompatibleProfile, reasoningRequestFor } from "./openai-compatible-profiles.ts";

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
  refuseStructuredOutput(spec, model);
  const maxTokens = maxOutputTokensFor(spec, model);
  const reasoning = mapOpenAICompatibleReasoning(spec.reasoning, model, reasoningRequestFor(profile, model.model));
  const body: Record<string, unknown> = {
    model: model.model,
    messages: compatibleMessages(spec.messages, profile),
    max_tokens: maxTokens,
    ...chatTools(spec.tools, spec.tool_choice),
    ...reasoning.value,
    ...samplingParams(spec.sampling),
    ...profile.extraBody,
  };
  return { model, resolvedParams: resolvedParams(body), warnings: reasoning.warnings, body };
}

export function resolvedParams(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !NOT_PARAMS.has(key)));
}

/**
 * `developer` is OpenAI's newer name for `system`; other servers know only `system`. An
 * assistant turn's reasoning goes back where the vendor reads it: OpenRouter's
 * `reasoning_details` items verbatim (signatures intact), else the vendor's reasoning field.
 */
function compatibleMessages(messages: readonly Message[], profile: OpenAICompatibleProfile): ChatMessage[] {
  const chat = toChatMessages(messages, "system");
  messages.forEach((m, i) => {
    const wire = chat[i] as ChatMessage;
    const details = (m.thinking_blocks ?? []).flatMap((b) => (b.detail === undefined ? [] : [b.detail]));
    if (details.length > 0 && profile.reasoningFields.includes("reasoning_details")) wire.reasoning_details = details;
    else if (m.reasoning_content !== undefined && m.reasoning_content !== "") {
      const field = profile.reasoningFields.find((f) => f !== "reasoning_details");
      if (field !== undefined) wire[field] = m.reasoning_content;
    }
  });
  return chat;
}

export function samplingParams(sampling: SamplingParams): Record<string, unknown> {
  return Object.fromEntries(Object.entries(sampling).filter(([, value]) => value !== undefined));
}
