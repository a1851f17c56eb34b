import { type JobSpec, ReasonqError, type SamplingParams, type StructuredOutput } from "@reasonq/core";
import type { ModelInfo, PreparedRequest } from "../adapter.ts";
import { maxOutputTokensFor } from "../shared/check-request.ts";
import { type AnthropicTraits, anthropicTraits } from "./anthropic-models.ts";
import {
  type AnthropicMessageParam,
  type AnthropicTool,
  type AnthropicToolChoice,
  convertAnthropicMessages,
  convertAnthropicToolChoice,
  convertAnthropicTools,
} from "./convert-anthropic-messages.ts";
import { type AnthropicReasoningParams, mapAnthropicReasoning } from "./map-anthropic-reasoning.ts";

/**
 * `2026-10-21` is what `@anthropic-ai/sdk` 1.x sends (and refuses temperature/top_p/top_k);
 * `2023-06-01` is the version of the 0.x SDKs, still accepted, with the older sampling rules.
 */
export const ANTHROPIC_API_VERSIONS = ["2026-10-21", "2023-06-01"] as const;
export type AnthropicApiVersion = (typeof ANTHROPIC_API_VERSIONS)[number];
export const DEFAULT_ANTHROPIC_API_VERSION: AnthropicApiVersion = "2026-10-21";

/** The body POSTed to /v1/messages: built here, read back by the adapter's `stream`. */
export interface AnthropicRequestBody extends Omit<AnthropicReasoningParams, "max_tokens" | "output_config"> {
  /** `effort` from the reasoning mapping; `format` is structured output (a JSON Schema). */
  output_config?: { effort?: NonNullable<AnthropicReasoningParams["output_config"]>["effort"]; format?: JsonFormat };
  model: string;
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  /** Top-level automatic prompt caching (the SDK's `MessageCreateParams.cache_control`). */
  cache_control?: { type: "ephemeral" };
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stream: true;
}

export interface AnthropicPrepareOptions {
  apiVersion: AnthropicApiVersion;
  /** Sends top-level `cache_control: {type: "ephemeral"}` so repeated prefixes are read from cache. */
  promptCaching: boolean;
}

export function convertToAnthropicRequest(
  spec: JobSpec,
  model: ModelInfo,
  options: AnthropicPrepareOptions,
): PreparedRequest {
  const traits = anthropicTraits(model);
  const requested = maxOutputTokensFor(spec, model);

  const { system, messages } = convertAnthropicMessages(spec, model, traits);
  const reasoning = mapAnthropicReasoning(spec.reasoning, model, traits, requested);
  const thinkingOn = reasoning.value.thinking !== undefined && reasoning.value.thinking.type !== "disabled";
  const sampling = convertSampling(spec.sampling, model, traits, options.apiVersion, thinkingOn);

  const params: Omit<AnthropicRequestBody, "model" | "messages" | "system" | "stream"> = {
    ...reasoning.value,
    ...sampling,
  };
  if (options.promptCaching) params.cache_control = { type: "ephemeral" };
  if (spec.tools !== undefined) params.tools = convertAnthropicTools(spec.tools);
  if (spec.tool_choice !== undefined) {
    params.tool_choice = convertAnthropicToolChoice(spec.tool_choice, reasoning.value.thinking, model);
  }
  if (spec.response_format !== undefined) {
    params.output_config = { ...params.output_config, format: anthropicFormat(spec.response_format, model) };
  }

  const body: AnthropicRequestBody = {
    model: model.model,
    ...(system === undefined ? {} : { system }),
    messages,
    ...params,
    stream: true,
  };
  return { model, resolvedParams: structuredClone(params), warnings: reasoning.warnings, body: { ...body } };
}

interface JsonFormat {
  type: "json_schema";
  schema: Record<string, unknown>;
}

/** Anthropic's structured output takes a schema; "any JSON object" has no native form there. */
function anthropicFormat(format: StructuredOutput, model: ModelInfo): JsonFormat {
  if (format.type === "json_object") {
    throw new ReasonqError(
      "unsupported_parameter",
      `${model.id}: Anthropic has no JSON mode without a schema; give response_format json_schema`,
      { field: "response_format" },
    );
  }
  return { type: "json_schema", schema: format.schema };
}

type AnthropicSampling = Pick<AnthropicRequestBody, "stop_sequences" | "temperature" | "top_p" | "top_k">;

function convertSampling(
  sampling: SamplingParams,
  model: ModelInfo,
  traits: AnthropicTraits,
  version: AnthropicApiVersion,
  thinkingOn: boolean,
): AnthropicSampling {
  const refuse = (field: string, rule: string) =>
    new ReasonqError("unsupported_parameter", `${model.id}: ${rule}`, { field });
  if (sampling.seed !== undefined) throw refuse("seed", "the Anthropic API has no seed parameter");

  const out: AnthropicSampling = {};
  if (sampling.stop !== undefined) out.stop_sequences = sampling.stop;
  const { temperature, top_p, top_k } = sampling;
  const given = (
    [
      ["temperature", temperature],
      ["top_p", top_p],
      ["top_k", top_k],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (given.length === 0) return out;

  if (version === "2026-10-21") {
    const [field] = given[0] as (typeof given)[number];
    throw refuse(
      field,
      `${field} is not accepted by Anthropic API version 2026-10-21, which reasonq sends (temperature, top_p and top_k were removed in that version)`,
    );
  }

  if (temperature !== undefined && temperature > 1) throw refuse("temperature", "Anthropic's temperature ranges 0–1");
  if (traits.sampling === "default-only") {
    if (temperature !== undefined && temperature !== 1) throw refuse("temperature", "only temperature 1 is accepted");
    if (top_p !== undefined && top_p < 0.99) throw refuse("top_p", "only top_p ≥ 0.99 is accepted");
    if (top_k !== undefined) throw refuse("top_k", "top_k is not accepted");
  } else {
    if (traits.sampling === "one-of" && temperature !== undefined && top_p !== undefined) {
      throw refuse("top_p", "temperature and top_p cannot both be given; give one");
    }
    if (thinkingOn) {
      const off = " while thinking is on (reasoning.enabled: false turns it off)";
      if (temperature !== undefined && temperature !== 1) throw refuse("temperature", `temperature must be 1${off}`);
      if (top_k !== undefined) throw refuse("top_k", `top_k is not accepted${off}`);
      if (top_p !== undefined && top_p < 0.95) throw refuse("top_p", `top_p must be between 0.95 and 1${off}`);
    }
  }
  if (temperature !== undefined) out.temperature = temperature;
  if (top_p !== undefined) out.top_p = top_p;
  if (top_k !== undefined) out.top_k = top_k;
  return out;
}
