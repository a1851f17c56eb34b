import { assertNever, type Message, type Tool, type ToolChoice, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { type ChatMessage, toChatMessages } from "../shared/chat-messages.ts";
import { providerBlock } from "../shared/prepare-conversation.ts";
import type { OpenAIModelTraits } from "./openai-models.ts";

/** An item of the Responses API's `input`: a message, a reasoning item, a call or its output. */
export type ResponsesInputItem = Record<string, unknown>;

/**
 * Chat Completions messages. `system` goes as `developer` (the reasoning-model role); o1-mini
 * takes neither, so its instructions are put before the first user message, with a warning.
 * Chat Completions cannot carry reasoning items between turns (providers.md §1.5): kept
 * OpenAI reasoning items are left out, with a warning.
 */
export function convertChatMessages(
  messages: readonly Message[],
  model: ModelInfo,
  traits: OpenAIModelTraits,
  warnings: Warning[],
): ChatMessage[] {
  if (messages.some((m) => (m.thinking_blocks ?? []).length > 0)) {
    warnings.push({
      type: "adapted",
      field: "messages",
      message: `model ${model.id} runs on Chat Completions, which cannot take reasoning items back; they were left out`,
    });
  }
  const converted = toChatMessages(messages, "developer");
  if (traits.systemRole) return converted;
  const instructions = converted.filter((m) => m.role === "developer").map((m) => String(m.content));
  if (instructions.length === 0) return converted;
  warnings.push({
    type: "adapted",
    field: "system",
    message: `model ${model.id} accepts no system or developer messages; their text was put before the first user message`,
  });
  const rest = converted.filter((m) => m.role !== "developer");
  const first = rest.findIndex((m) => m.role === "user");
  return rest.map((m, i) => {
    if (i !== first) return m;
    const prefix = `${instructions.join("\n\n")}\n\n`;
    if (typeof m.content === "string") return { ...m, content: `${prefix}${m.content}` };
    return { ...m, content: [{ type: "text" as const, text: prefix }, ...(m.content ?? [])] };
  });
}

/**
 * Responses API input items (providers.md §2.1): an assistant turn becomes its kept
 * reasoning items, verbatim (`encrypted_content` intact), then its text, then a
 * `function_call` item per tool call; a tool message becomes `function_call_output`.
 */
export function convertResponsesInput(messages: readonly Message[]): ResponsesInputItem[] {
  return messages.flatMap((m): ResponsesInputItem[] => {
    switch (m.role) {
      case "system":
      case "developer":
        return [{ role: "developer", content: m.content }];
      case "tool":
        return [{ type: "function_call_output", call_id: m.tool_call_id, output: m.content }];
      case "assistant": {
        const items: ResponsesInputItem[] = (m.thinking_blocks ?? []).map(providerBlock);
        if (m.content !== "") items.push({ role: "assistant", content: m.content });
        for (const call of m.tool_calls ?? []) {
          items.push({
            type: "function_call",
            call_id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
          });
        }
        return items;
      }
      case "user": {
        if (m.parts === undefined) return [{ role: "user", content: m.content }];
        const content = m.parts.map((p) =>
          p.type === "text"
            ? { type: "input_text", text: p.text }
            : { type: "input_image", image_url: p.image.url, detail: p.image.detail ?? "auto" },
        );
        return [{ role: "user", content }];
      }
      default:
        return assertNever(m.role, "message role");
    }
  });
}

/** Function tools in the Responses shape (flat; `strict` explicit, false as in Chat). */
export function convertResponsesTools(tools: Tool[] | undefined, choice: ToolChoice | undefined) {
  const out: Record<string, unknown> = {};
  if (tools !== undefined) {
    out.tools = tools.map(({ function: f }) => ({
      type: "function",
      name: f.name,
      ...(f.description === undefined ? {} : { description: f.description }),
      parameters: f.parameters ?? { type: "object", properties: {} },
      strict: f.strict ?? false,
    }));
  }
  if (choice !== undefined) {
    out.tool_choice = typeof choice === "string" ? choice : { type: "function", name: choice.function.name };
  }
  return out;
}
