/**
 * A job → the OpenAI request body (Chat Completions or Responses, chosen in
 * map-openai-reasoning.ts). Pure: the API calls it at submit time to refuse what a model
 * cannot honour before a job exists.
 *
 * Besides the reasoning knobs:
 * - `max_output_tokens` → `max_completion_tokens` (Chat) / `max_output_tokens` (Responses);
 *   both cover reasoning and answer. `max_tokens` is never sent (reasoning models refuse it).
 * - messages, tools and tool results: convert-openai-messages.ts.
 * - Sampling fields are refused (reasoning models take only the default, providers.md
 *   §1.5), except temperature / top_p on gpt-5.1+ with reasoning off (effort `none`).
 * - Chat streams ask for `stream_options.include_usage` (no usage chunk otherwise);
 *   Responses are sent with `store: false` (reasonq keeps its own copy; nothing refers to
 *   the stored response later) and ask for `reasoning.encrypted_content`, which is kept
 *   with the reasoning item so a later turn can send it back.
 * - Structured output → `response_format` (Chat) / `text.format` (Responses).
 * `resolvedParams` is the body without model, messages/input and the stream switches.
 */
import { type JobSpec, ReasonqError, type StructuredOutput } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { chatTools } from "../shared/chat-messages.ts";
import { maxOutputTokensFor } from "../shared/check-request.ts";
import { convertChatMessages, convertResponsesInput, convertResponsesTools } from "./convert-openai-messages.ts";
import { mapOpenAIReasoning, type OpenAIReasoningPlan } from "./map-openai-reasoning.ts";
import type { ChatRequestBody, ResponsesRequestBody } from "./openai-api-types.ts";
import { type OpenAIModelTraits, traitsOf } from "./openai-models.ts";

const SAMPLING_WHEN_OFF = ["temperature", "top_p"] as const;

export function convertToOpenAIRequest(spec: JobSpec, model: ModelInfo): PreparedRequest {
  const traits = traitsOf(model);
  const { value: plan, warnings } = mapOpenAIReasoning(spec.reasoning, model, traits);
  // Reasoning items carried from an earlier turn go back only through the Responses API.
  if (plan.api === "chat" && traits.api.responses && spec.messages.some((m) => (m.thinking_blocks ?? []).length > 0)) {
    plan.api = "responses";
  }
  const sampling = checkSampling(spec, model, traits, plan);
  const maxTokens = maxOutputTokensFor(spec, model);

  if (plan.api === "chat") {
    const params = {
      max_completion_tokens: maxTokens,
      ...(plan.effort === null ? {} : { reasoning_effort: plan.effort }),
      ...sampling,
      ...chatTools(spec.tools, spec.tool_choice),
      ...(spec.response_format === undefined ? {} : { response_format: chatFormat(spec.response_format) }),
    };
    const body: ChatRequestBody = {
      model: model.model,
      messages: convertChatMessages(spec.messages, model, traits, warnings),
      ...params,
      stream: true,
      stream_options: { include_usage: true },
    };
    return { model, resolvedParams: params, warnings, body: { ...body } };
  }

  const reasoning: ResponsesRequestBody["reasoning"] = {
    ...(plan.effort === null ? {} : { effort: plan.effort }),
    ...(plan.summary ? { summary: "auto" as const } : {}),
  };
  const params = {
    max_output_tokens: maxTokens,
    ...(Object.keys(reasoning).length === 0 ? {} : { reasoning }),
    ...sampling,
    ...convertResponsesTools(spec.tools, spec.tool_choice),
    ...(spec.response_format === undefined ? {} : { text: { format: responsesFormat(spec.response_format) } }),
    store: false as const,
    // Without a stored response, the next turn needs the reasoning items back, encrypted.
    include: ["reasoning.encrypted_content" as const],
  };
  const body: ResponsesRequestBody = {
    model: model.model,
    input: convertResponsesInput(spec.messages),
    ...params,
    stream: true,
  };
  return { model, resolvedParams: params, warnings, body: { ...body } };
}

/** Structured output in Chat Completions' `response_format`. */
function chatFormat(format: StructuredOutput): Record<string, unknown> {
  if (format.type === "json_object") return { type: "json_object" };
  const { type, ...json_schema } = format;
  return { type, json_schema };
}

/** Structured output in the Responses API's `text.format` (the schema's fields at the top). */
function responsesFormat(format: StructuredOutput): Record<string, unknown> {
  return { ...format };
}

function checkSampling(
  spec: JobSpec,
  model: ModelInfo,
  traits: OpenAIModelTraits,
  plan: OpenAIReasoningPlan,
): { temperature?: number; top_p?: number } {
  const off = traits.samplingWhenOff && plan.effort === "none";
  const accepted = new Set<string>([...model.sampling, ...(off ? SAMPLING_WHEN_OFF : [])]);
  for (const [field, value] of Object.entries(spec.sampling)) {
    if (value === undefined || accepted.has(field)) continue;
    const rule = traits.samplingWhenOff
      ? `it takes ${SAMPLING_WHEN_OFF.join(" and ")} only with reasoning off (reasoning.enabled: false)`
      : "OpenAI reasoning models accept no sampling parameters";
    throw new ReasonqError("unsupported_parameter", `model ${model.id} does not accept ${field}: ${rule}`, { field });
  }
  const out: { temperature?: number; top_p?: number } = {};
  if (spec.sampling.temperature !== undefined) out.temperature = spec.sampling.temperature;
  if (spec.sampling.top_p !== undefined) out.top_p = spec.sampling.top_p;
  return out;
}
