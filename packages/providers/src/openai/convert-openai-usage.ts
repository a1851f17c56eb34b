/**
 * OpenAI usage → reasonq's convention. OpenAI already counts the way reasonq does, so
 * nothing is added (providers.md §1.4, §2.5):
 *
 * | reasonq               | Chat Completions                              | Responses                                  |
 * | --------------------- | --------------------------------------------- | ------------------------------------------ |
 * | input_tokens          | prompt_tokens                                 | input_tokens                               |
 * | cached_input_tokens   | prompt_tokens_details.cached_tokens (subset)  | input_tokens_details.cached_tokens (subset) |
 * | cache_write_tokens    | prompt_tokens_details.cache_write_tokens      | input_tokens_details.cache_write_tokens    |
 * | output_tokens         | completion_tokens (reasoning included)        | output_tokens (reasoning included)         |
 * | reasoning_tokens      | completion_tokens_details.reasoning_tokens    | output_tokens_details.reasoning_tokens     |
 *
 * `reasoning_tokens` is never added to the output again (langfuse#11244 showed 1,970 +
 * 956 = 2,926 for that mistake); it is undefined when the details are missing. `raw`
 * is the provider's usage object, verbatim.
 */
import type { ReportedUsage } from "@reasonq/core";
import { count, record } from "./openai-api-types.ts";

export function convertChatUsage(usage: unknown): ReportedUsage | undefined {
  const u = record(usage);
  const input = count(u?.prompt_tokens);
  const output = count(u?.completion_tokens);
  if (u === undefined || input === undefined || output === undefined) return undefined;
  const prompt = record(u.prompt_tokens_details);
  return {
    input_tokens: input,
    cached_input_tokens: count(prompt?.cached_tokens) ?? 0,
    cache_write_tokens: count(prompt?.cache_write_tokens) ?? 0,
    output_tokens: output,
    reasoning_tokens: count(record(u.completion_tokens_details)?.reasoning_tokens),
    raw: usage,
  };
}

export function convertResponsesUsage(usage: unknown): ReportedUsage | undefined {
  const u = record(usage);
  const input = count(u?.input_tokens);
  const output = count(u?.output_tokens);
  if (u === undefined || input === undefined || output === undefined) return undefined;
  const details = record(u.input_tokens_details);
  return {
    input_tokens: input,
    cached_input_tokens: count(details?.cached_tokens) ?? 0,
    cache_write_tokens: count(details?.cache_write_tokens) ?? 0,
    output_tokens: output,
    reasoning_tokens: count(record(u.output_tokens_details)?.reasoning_tokens),
    raw: usage,
  };
}
