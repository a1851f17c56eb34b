import { type JobSpec, type Message, ReasonqError, type Tool, type ToolChoice } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { providerBlock } from "../shared/prepare-conversation.ts";
import { parseToolArguments } from "../shared/tool-arguments.ts";
import type { AnthropicTraits } from "./anthropic-models.ts";

export type AnthropicBlock = Record<string, unknown> & { type: string };

export interface AnthropicMessageParam {
  role: "user" | "assistant";
  content: string | AnthropicBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { type: "auto" }
  | { type: "none" }
  | { type: "any" }
  | { type: "tool"; name: string };

/**
 * reasonq messages → Anthropic's (providers.md §3.6):
 * - system and developer messages become the top-level `system` prompt (joined in order);
 * - an assistant turn starts with its kept thinking / redacted_thinking blocks, verbatim and
 *   in order (signatures intact), then its text, then a `tool_use` block per tool call;
 * - tool messages become `tool_result` blocks of one user turn, with any user text after them;
 * - images become `image` blocks (base64 for a data: URL, `url` otherwise).
 */
export function convertAnthropicMessages(spec: JobSpec, model: ModelInfo, traits: AnthropicTraits) {
  const systemParts: string[] = [];
  const messages: AnthropicMessageParam[] = [];
  const push = (role: "user" | "assistant", blocks: AnthropicBlock[]) => {
    const last = messages.at(-1);
    if (role === "user" && last?.role === "user" && Array.isArray(last.content)) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  spec.messages.forEach((message, index) => {
    if (message.role === "system" || message.role === "developer") {
      systemParts.push(message.content);
      return;
    }
    if (message.role === "tool") {
      push("user", [{ type: "tool_result", tool_use_id: message.tool_call_id as string, content: message.content }]);
      return;
    }
    if (message.role === "assistant") {
      push("assistant", assistantBlocks(message, index));
      return;
    }
    if (message.parts === undefined && message.content.trim() === "") throw emptyText(index);
    push("user", userBlocks(message));
  });
  if (!traits.prefill && messages.at(-1)?.role === "assistant") {
    throw new ReasonqError(
      "unsupported_parameter",
      `${model.id} does not accept a final assistant message (prefill); end the conversation with a user message`,
      { field: "messages" },
    );
  }
  // A turn of plain text goes as a string, as before tools existed.
  for (const m of messages) {
    if (Array.isArray(m.content) && m.content.length === 1 && m.content[0]?.type === "text") {
      m.content = m.content[0].text as string;
    }
  }
  return { system: systemParts.length === 0 ? undefined : systemParts.join("\n\n"), messages };
}

function emptyText(index: number): ReasonqError {
  return new ReasonqError("invalid_request", "Anthropic refuses empty text content in a message", {
    field: `messages.${index}.content`,
  });
}

function userBlocks(message: Message): AnthropicBlock[] {
  if (message.parts === undefined) return [{ type: "text", text: message.content }];
  return message.parts.flatMap((part): AnthropicBlock[] => {
    if (part.type === "text") return part.text === "" ? [] : [{ type: "text", text: part.text }];
    const { image } = part;
    const source =
      image.data === undefined
        ? { type: "url", url: image.url }
        : { type: "base64", media_type: image.data.media_type, data: image.data.base64 };
    return [{ type: "image", source }];
  });
}

function assistantBlocks(message: Message, index: number): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = (message.thinking_blocks ?? []).map(
    (block) => providerBlock(block) as AnthropicBlock,
  );
  if (message.content !== "") blocks.push({ type: "text", text: message.content });
  for (const [i, call] of (message.tool_calls ?? []).entries()) {
    const input = parseToolArguments(call.function.arguments, `messages.${index}.tool_calls.${i}.function.arguments`);
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input });
  }
  if (blocks.length === 0) throw emptyText(index);
  return blocks;
}

export function convertAnthropicTools(tools: readonly Tool[]): AnthropicTool[] {
  return tools.map(({ function: f }) => ({
    name: f.name,
    ...(f.description === undefined ? {} : { description: f.description }),
    input_schema: f.parameters ?? { type: "object", properties: {} },
  }));
}

/**
 * OpenAI's tool_choice → Anthropic's. With manual thinking (`type: "enabled"`) only `auto`
 * and `none` are allowed: a forced tool is refused here, as the API would (providers.md §3.2).
 */
export function convertAnthropicToolChoice(
  choice: ToolChoice,
  thinking: { type: string } | undefined,
  model: ModelInfo,
): AnthropicToolChoice {
  const forced = choice === "required" || typeof choice === "object";
  if (forced && thinking?.type === "enabled") {
    throw new ReasonqError(
      "unsupported_parameter",
      `${model.id}: thinking may not be enabled (thinking.type "enabled") when tool_choice forces tool use; use tool_choice "auto" or "none", or turn thinking off`,
      { field: "tool_choice" },
    );
  }
  if (choice === "auto" || choice === "none") return { type: choice };
  if (choice === "required") return { type: "any" };
  return { type: "tool", name: choice.function.name };
}
