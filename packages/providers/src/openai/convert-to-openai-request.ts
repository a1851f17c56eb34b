/**
 * A job → the OpenAI request body (Chat Completions or Responses, chosen in
 * map-openai-reasoning.ts). Pure: the API calls it at submit time to refuse what a model
 * cannot honour before a job exists.
 *
 * Besides the reasoning knobs:
 * - `max_output_tokens` → `max_completion_tokens` (Chat) / `max_output_tokens` (Responses);
 *   both cover reasoning and answer. `max_tokens` is never sent (reasoning models refuse it).
 * - `system` messages go as `developer` (the reasoning-model role); o1-mini takes neither,
 *   so its system text is put before the first user message, with a warning.
 * - Sampling fields are refused (reasoning models take only the default, providers.md
 *   §1.5), except temperature / top_p on gpt-5.1+ with reasoning off (effort `none`).
 * - Chat streams ask for `stream_options.include_usage` (no usage chunk otherwise);
 *   Responses are sent with `store: false` (reasonq keeps its own copy; nothing refers to
 *   the stored response later).
 * `resolvedParams` is the body without model, messages/input and the stream switches.
 */
import { type JobSpec, type Message, ReasonqError, type Warning } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { maxOutputTokensFor } from "../shared/check-request.ts";
import { mapOpenAIReasoning, type OpenAIReasoningPlan } from "./map-openai-reasoning.ts";
import type { ChatRequestBody, OpenAIMessage, ResponsesRequestBody } from "./openai-api-types.ts";
import { type OpenAIModelTraits, traitsOf } from "./openai-models.ts";

const SAMPLING_WHEN_OFF = ["temperature", "top_p"] as const;

export function convertToOpenAIRequest(spec: JobSpec, model: ModelInfo): PreparedRequest {
  const traits = traitsOf(model);
  const { value: plan, warnings } = mapOpenAIReasoning(spec.reasoning, model, traits);
  const sampling = checkSampling(spec, model, traits, plan);
  const maxTokens = maxOutputTokensFor(spec, model);
  const messages = convertMessages(spec.messages, model, traits, warnings);

  if (plan.api === "chat") {
    const params = {
      max_completion_tokens: maxTokens,
      ...(plan.effort === null ? {} : { reasoning_effort: plan.effort }),
      ...sampling,
    };
    const body: ChatRequestBody = {
      model: model.model,
      messages,
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
    store: false as const,
  };
  const body: ResponsesRequestBody = { model: model.model, input: messages, ...params, stream: true };
  return { model, resolvedParams: params, warnings, body: { ...body } };
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

function convertMessages(
  messages: readonly Message[],
  model: ModelInfo,
  traits: OpenAIModelTraits,
  warnings: Warning[],
): OpenAIMessage[] {
  const converted = messages.map(
    (m): OpenAIMessage => ({ role: m.role === "system" ? "developer" : m.role, content: m.content }),
  );
  if (traits.systemRole) return converted;
  const instructions = converted.filter((m) => m.role === "developer").map((m) => m.content);
  if (instructions.length === 0) return converted;
  warnings.push({
    type: "adapted",
    field: "system",
    message: `model ${model.id} accepts no system or developer messages; their text was put before the first user message`,
  });
  const rest = converted.filter((m) => m.role !== "developer");
  const first = rest.findIndex((m) => m.role === "user");
  return rest.map((m, i) =>
    i === first ? { role: "user", content: `${instructions.join("\n\n")}\n\n${m.content}` } : m,
  );
}
