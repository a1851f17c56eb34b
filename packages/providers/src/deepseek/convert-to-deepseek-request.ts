import { type JobSpec, type Message, ReasonqError, type Warning } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { resolvedParams, samplingParams } from "../openai-compatible/convert-to-openai-compatible-request.ts";
import { type ChatMessage, chatTools, toChatMessages } from "../shared/chat-messages.ts";
import { checkSampling, maxOutputTokensFor, refuseStructuredOutput } from "../shared/check-request.ts";
import { isR1Era } from "./deepseek-models.ts";
import { mapDeepSeekReasoning, thinkingModeSamplingWarnings } from "./map-deepseek-reasoning.ts";

/**
 * Which assistant turns carry their `reasoning_content` back (providers.md §5.6):
 * - R1 era (`deepseek-reasoner`): never — sending it was a 400.
 * - V4: an assistant turn that made tool calls must carry it in every later request
 *   (else 400 "The reasoning_content in the thinking mode must be passed back to the
 *   API."); when the conversation did not keep it, an empty string is sent, as clients
 *   do, and a warning says so. Turns without tool calls leave it out: DeepSeek ignores it
 *   there, and it would only lengthen the prompt.
 */
export function convertDeepSeekMessages(
  messages: readonly Message[],
  model: ModelInfo,
): { messages: ChatMessage[]; warnings: Warning[] } {
  const r1 = isR1Era(model);
  let missing = 0;
  const out = toChatMessages(messages, "system").map((wire, i): ChatMessage => {
    const m = messages[i] as Message;
    if (r1 || m.role !== "assistant" || wire.tool_calls === undefined) return wire;
    if (m.reasoning_content === undefined) missing += 1;
    return { ...wire, reasoning_content: m.reasoning_content ?? "" };
  });
  const warnings: Warning[] =
    missing === 0
      ? []
      : [
          {
            type: "adapted",
            field: "messages",
            message: `${missing} assistant turn(s) with tool calls had no reasoning_content to pass back; an empty one was sent`,
          },
        ];
  return { messages: out, warnings };
}

/** `prepare` for DeepSeek: a JobSpec → the OpenAI-format body of api.deepseek.com. */
export function convertToDeepSeekRequest(spec: JobSpec, model: ModelInfo, apiKey: string | undefined): PreparedRequest {
  if (apiKey === undefined || apiKey === "") {
    throw new ReasonqError("invalid_request", "DEEPSEEK_API_KEY is not set, so reasonq cannot call DeepSeek", {
      field: "model",
    });
  }
  checkSampling(spec.sampling, model);
  refuseStructuredOutput(spec, model);
  const maxTokens = maxOutputTokensFor(spec, model);
  const reasoning = mapDeepSeekReasoning(spec.reasoning, model);
  const sampling = samplingParams(spec.sampling);
  const thinking = isR1Era(model) || spec.reasoning.enabled;
  const converted = convertDeepSeekMessages(spec.messages, model);
  const body: Record<string, unknown> = {
    model: model.model,
    messages: converted.messages,
    max_tokens: maxTokens,
    ...chatTools(spec.tools, spec.tool_choice),
    ...reasoning.value,
    ...sampling,
  };
  const warnings = [...reasoning.warnings, ...thinkingModeSamplingWarnings(sampling, thinking), ...converted.warnings];
  return { model, resolvedParams: resolvedParams(body), warnings, body };
}
