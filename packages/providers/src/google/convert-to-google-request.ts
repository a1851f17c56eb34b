import type { JobSpec, SamplingParams } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { checkSampling, maxOutputTokensFor } from "../shared/check-request.ts";
import { toGeminiContents, toGeminiTools } from "./convert-google-contents.ts";
import type { GeminiGenerationConfig, GeminiRequestBody } from "./google-api-types.ts";
import { mapGoogleReasoning } from "./map-google-reasoning.ts";

/**
 * A job → the `generateContent` body. Pure: the API calls it at submit time to refuse what
 * the model cannot honour. `resolvedParams` is `{ generationConfig }`, exactly what is sent
 * besides the messages (`contents`, `systemInstruction`).
 *
 * | reasonq                  | Gemini                                    |
 * | ------------------------ | ----------------------------------------- |
 * | system / developer msgs  | `systemInstruction.parts[].text`          |
 * | user / assistant msgs    | `contents[]` with role `user` / `model`   |
 * | tools, tool messages     | convert-google-contents.ts                |
 * | max_output_tokens        | `maxOutputTokens` (default: model's cap)  |
 * | temperature, top_p, top_k| `temperature`, `topP`, `topK`             |
 * | stop, seed               | `stopSequences`, `seed`                   |
 * | reasoning                | `thinkingConfig` (map-google-reasoning)   |
 * | response_format          | `responseMimeType` + `responseJsonSchema` |
 */
export function prepareGoogleRequest(spec: JobSpec, model: ModelInfo): PreparedRequest {
  checkSampling(spec.sampling, model);
  const maxOutputTokens = maxOutputTokensFor(spec, model);

  const thinking = mapGoogleReasoning(spec.reasoning, model);
  const generationConfig: GeminiGenerationConfig = { maxOutputTokens, ...samplingConfig(spec.sampling) };
  if (thinking.value !== undefined) generationConfig.thinkingConfig = thinking.value;
  if (spec.response_format !== undefined) {
    generationConfig.responseMimeType = "application/json";
    if (spec.response_format.type === "json_schema") generationConfig.responseJsonSchema = spec.response_format.schema;
  }

  const system = spec.messages.filter((m) => m.role === "system" || m.role === "developer");
  const body: GeminiRequestBody = {
    contents: toGeminiContents(spec.messages),
    ...(system.length === 0
      ? {}
      : { systemInstruction: { parts: [{ text: system.map((m) => m.content).join("\n\n") }] } }),
    ...toGeminiTools(spec.tools, spec.tool_choice),
    generationConfig,
  };
  return {
    model,
    resolvedParams: { generationConfig: structuredClone(generationConfig) },
    warnings: thinking.warnings,
    body: { ...body },
  };
}

function samplingConfig(sampling: SamplingParams): Omit<GeminiGenerationConfig, "maxOutputTokens"> {
  const out: Omit<GeminiGenerationConfig, "maxOutputTokens"> = {};
  if (sampling.temperature !== undefined) out.temperature = sampling.temperature;
  if (sampling.top_p !== undefined) out.topP = sampling.top_p;
  if (sampling.top_k !== undefined) out.topK = sampling.top_k;
  if (sampling.stop !== undefined) out.stopSequences = [...sampling.stop];
  if (sampling.seed !== undefined) out.seed = sampling.seed;
  return out;
}
