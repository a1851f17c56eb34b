import type { ResponseCreateRequest } from "@reasonq/core";
import { pickSent, refuseParameter, refuseUnhonouredShared } from "../chat-client-params.ts";

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

/** The recorded fields the client sent, or undefined when there are none. */
export function responseClientParams(body: ResponseCreateRequest): Record<string, unknown> | undefined {
  return pickSent(body, RECORDED);
}

/** A standard field with a value reasonq cannot honour is a 400 naming it, never silently ignored. */
export function refuseUnhonouredResponse(body: ResponseCreateRequest): void {
  refuseUnhonouredShared(body);
  if (body.truncation === "auto") {
    refuseParameter("truncation", "reasonq never drops input to fit the context window; send disabled");
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
}
