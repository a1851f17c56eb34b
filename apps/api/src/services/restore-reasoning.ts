import type { MessageInput } from "@reasonq/core";
import type { Store } from "@reasonq/store";

/**
 * Completes assistant turns that come back with their tool calls but without
 * `thinking_blocks` (the Vercel AI SDK, like most OpenAI clients, keeps only the text and
 * `reasoning_content`): the blocks are taken, verbatim, from the key's job that made those
 * calls, so a tool loop on Claude or Gemini keeps its signatures. A turn that names its
 * blocks, even as an empty list, is left as sent.
 */
export async function restoreThinkingBlocks(
  store: Store,
  apiKeyId: string,
  messages: MessageInput[],
): Promise<MessageInput[]> {
  const out: MessageInput[] = [];
  for (const message of messages) {
    const first = message.role === "assistant" ? message.tool_calls?.[0] : undefined;
    if (message.role !== "assistant" || first === undefined || message.thinking_blocks !== undefined) {
      out.push(message);
      continue;
    }
    const output = await store.jobs.outputWithToolCall(apiKeyId, first.id);
    const blocks = output?.thinking_blocks ?? [];
    out.push(blocks.length === 0 ? message : { ...message, thinking_blocks: blocks });
  }
  return out;
}
