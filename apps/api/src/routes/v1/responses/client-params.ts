import type { ResponseCreateRequest } from "@reasonq/core";
import { refuseParameter } from "../chat-client-params.ts";

/** Standard Responses fields that do not change the answer: recorded on the job as sent. */
const RECORDED = [
  "store",
  "service_tier",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "parallel_tool_calls",
  "max_tool_calls",
  "truncation",
  "stream_options",
] as const;

/** The recorded fields the client sent (nulls are "not set"), or undefined when there are none. */
export function responseClientParams(body: ResponseCreateRequest): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  for (const key of RECORDED) {
    const value = body[key];
    if (value !== undefined && value !== null) params[key] = value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

/** A standard field with a value reasonq cannot honour is a 400 naming it, never silently ignored. */
export function refuseUnhonouredResponse(body: ResponseCreateRequest): void {
  const tier = body.service_tier;
  if (tier !== undefined && tier !== null && tier !== "auto" && tier !== "default") {
    refuseParameter("service_tier", "reasonq runs standard processing only: auto or default");
  }
  if (body.truncation === "auto") {
    refuseParameter("truncation", "reasonq never drops input to fit the context window; send disabled");
  }
  if (body.top_logprobs !== undefined && body.top_logprobs !== null && body.top_logprobs > 0) {
    refuseParameter("top_logprobs", "reasonq does not return token log probabilities");
  }
  if (body.conversation !== undefined && body.conversation !== null) {
    refuseParameter("conversation", "reasonq has no Conversations API; continue with previous_response_id");
  }
  if (body.prompt !== undefined && body.prompt !== null) {
    refuseParameter("prompt", "reasonq has no stored prompt templates; send instructions and input");
  }
  if (body.text?.verbosity !== undefined && body.text.verbosity !== null) {
    refuseParameter("text.verbosity", "not supported");
  }
  if (body.parallel_tool_calls === false && (body.tools?.length ?? 0) > 0) {
    refuseParameter("parallel_tool_calls", "reasonq cannot limit a model to one tool call per turn");
  }
  if (body.stream_options?.include_obfuscation === true) {
    refuseParameter("stream_options.include_obfuscation", "reasonq streams carry no obfuscation padding; send false");
  }
}
