import type { Message } from "@reasonq/core";

/**
 * DeepSeek's OpenAI-format wire types that the SDK does not declare. Response fields
 * (`reasoning_content`, `prompt_cache_hit_tokens`, `prompt_cache_miss_tokens`) are read
 * with the narrow accessors of openai-compatible-api-types.ts; these are the request side.
 */

/**
 * A conversation message as DeepSeek may need it. reasonq's `Message` carries only role
 * and content today; the optional fields are what a multi-turn conversation with tool
 * use brings back (the assistant's earlier `reasoning_content` and `tool_calls`), so the
 * passback rule below is already in place when messages grow them.
 */
export interface DeepSeekInputMessage {
  role: Message["role"] | "tool";
  content: string;
  reasoning_content?: string;
  tool_calls?: readonly unknown[];
  tool_call_id?: string;
}

export interface DeepSeekWireMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  reasoning_content?: string;
  tool_calls?: readonly unknown[];
  tool_call_id?: string;
}
