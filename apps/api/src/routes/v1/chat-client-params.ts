import { ReasonqError } from "@reasonq/core";
import { z } from "zod";

/**
 * Standard Chat Completions fields that do not change the answer: accepted, and recorded
 * as sent on the job (`client_params`), so what the client asked for stays visible.
 */
export const recordedFields = {
  /** reasonq keeps every job (that is its purpose); the flag is recorded. */
  store: z.boolean().nullable().optional(),
  /** Standard processing is what reasonq runs; other tiers are refused below. */
  service_tier: z.enum(["auto", "default", "flex", "scale", "priority", "fast"]).nullable().optional(),
  safety_identifier: z.string().max(256).nullable().optional(),
  prompt_cache_key: z.string().max(1024).nullable().optional(),
  prompt_cache_retention: z.enum(["in_memory", "24h"]).nullable().optional(),
  parallel_tool_calls: z.boolean().optional(),
  modalities: z
    .array(z.enum(["text", "audio"]))
    .nullable()
    .optional(),
  /** Predicted output only speeds up a provider's answer, never changes it. */
  prediction: z
    .strictObject({
      type: z.literal("content"),
      content: z.union([z.string(), z.array(z.strictObject({ type: z.literal("text"), text: z.string() }))]),
    })
    .nullable()
    .optional(),
};

/** Standard fields that would change the answer and that no reasonq model honours: refused, naming the field. */
export const refusedFields = {
  n: z.number().int().min(1).max(128).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  audio: z.looseObject({}).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  verbosity: z.enum(["low", "medium", "high"]).nullable().optional(),
  web_search_options: z.looseObject({}).nullable().optional(),
  functions: z.array(z.looseObject({})).optional(),
  function_call: z.unknown().optional(),
};

type Recorded = { [K in keyof typeof recordedFields]?: z.infer<(typeof recordedFields)[K]> };
type Refused = { [K in keyof typeof refusedFields]?: z.infer<(typeof refusedFields)[K]> };
interface StreamOptions {
  include_usage?: boolean | undefined;
  include_obfuscation?: boolean | undefined;
}

/** The named fields the client sent (nulls are "not set"), or undefined when there are none. */
export function pickSent<T extends object>(body: T, keys: readonly (keyof T)[]): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  for (const key of keys) {
    const value = body[key];
    if (value !== undefined && value !== null) params[key as string] = value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

/** The recorded fields the client sent, or undefined when there are none. */
export function clientParamsOf(
  body: Recorded & { stream_options?: StreamOptions | null | undefined },
): Record<string, unknown> | undefined {
  return pickSent(body, [...(Object.keys(recordedFields) as (keyof Recorded)[]), "stream_options"]);
}

/** The standard fields both OpenAI APIs share that reasonq cannot honour with some values. */
export function refuseUnhonouredShared(body: {
  service_tier?: string | null | undefined;
  top_logprobs?: number | null | undefined;
  parallel_tool_calls?: boolean | null | undefined;
  tools?: unknown[] | undefined;
  stream_options?: { include_obfuscation?: boolean | undefined } | null | undefined;
}): void {
  const tier = body.service_tier;
  if (tier !== undefined && tier !== null && tier !== "auto" && tier !== "default") {
    refuseParameter("service_tier", "reasonq runs standard processing only: auto or default");
  }
  if (body.top_logprobs !== undefined && body.top_logprobs !== null && body.top_logprobs > 0) {
    refuseParameter("top_logprobs", "reasonq does not return token log probabilities");
  }
  if (body.parallel_tool_calls === false && (body.tools?.length ?? 0) > 0) {
    refuseParameter("parallel_tool_calls", "reasonq cannot limit a model to one tool call per turn");
  }
  if (body.stream_options?.include_obfuscation === true) {
    refuseParameter("stream_options.include_obfuscation", "reasonq streams carry no obfuscation padding; send false");
  }
}

/** A 400 `unsupported_parameter` naming the field (OpenAI's `param`). */
export function refuseParameter(field: string, message: string): never {
  throw new ReasonqError("unsupported_parameter", `${field}: ${message}`, { field });
}

/** A standard field with a value reasonq cannot honour is a 400 naming it, never silently ignored. */
export function refuseUnhonoured(
  body: Recorded & Refused & { tools?: unknown[] | undefined; stream_options?: StreamOptions | null | undefined },
): void {
  refuseUnhonouredShared(body);
  if (body.n !== undefined && body.n !== null && body.n > 1)
    refuseParameter("n", "reasonq runs one choice per request");
  if (body.logprobs === true) refuseParameter("logprobs", "reasonq does not return token log probabilities");
  if (body.audio !== undefined && body.audio !== null) refuseParameter("audio", "reasonq answers with text only");
  if (body.modalities?.includes("audio") === true)
    refuseParameter("modalities", 'reasonq answers with text only: ["text"]');
  for (const field of ["frequency_penalty", "presence_penalty"] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && value !== 0)
      refuseParameter(field, "not supported; omit it or send 0");
  }
  if (body.logit_bias !== undefined && body.logit_bias !== null && Object.keys(body.logit_bias).length > 0) {
    refuseParameter("logit_bias", "not supported");
  }
  if (body.verbosity !== undefined && body.verbosity !== null) refuseParameter("verbosity", "not supported");
  if (body.web_search_options !== undefined && body.web_search_options !== null) {
    refuseParameter("web_search_options", "reasonq does not run web search");
  }
  if ((body.functions?.length ?? 0) > 0) refuseParameter("functions", "deprecated by OpenAI; send tools instead");
  if (body.function_call !== undefined && body.function_call !== null)
    refuseParameter("function_call", "deprecated by OpenAI; send tool_choice instead");
}
