import { assertNever, type Message, type Tool, type ToolCall, type ToolChoice } from "@reasonq/core";

/** A Chat Completions message as OpenAI-shaped APIs take it. */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | null | ChatContentPart[];
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  reasoning_content?: string;
  reasoning?: string;
  reasoning_details?: unknown[];
}

export type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } };

/**
 * reasonq messages → Chat Completions messages (OpenAI, DeepSeek and every compatible
 * server): images as `image_url` parts, assistant tool calls as `tool_calls` (content null
 * when the turn has no text, as OpenAI returns it), tool results with their `tool_call_id`.
 * Reasoning fields are the caller's to add: each provider has its own rule for them.
 */
export function toChatMessages(messages: readonly Message[], systemRole: "system" | "developer"): ChatMessage[] {
  return messages.map((m): ChatMessage => {
    switch (m.role) {
      case "system":
      case "developer":
        return { role: systemRole, content: m.content };
      case "tool":
        return { role: "tool", tool_call_id: m.tool_call_id as string, content: m.content };
      case "assistant": {
        const calls = m.tool_calls ?? [];
        if (calls.length === 0) return { role: "assistant", content: m.content };
        return { role: "assistant", content: m.content === "" ? null : m.content, tool_calls: calls };
      }
      case "user": {
        if (m.parts === undefined) return { role: "user", content: m.content };
        return {
          role: "user",
          content: m.parts.map(
            (p): ChatContentPart =>
              p.type === "text"
                ? { type: "text", text: p.text }
                : {
                    type: "image_url",
                    image_url: {
                      url: p.image.url,
                      ...(p.image.detail === undefined ? {} : { detail: p.image.detail }),
                    },
                  },
          ),
        };
      }
      default:
        return assertNever(m.role, "message role");
    }
  });
}

/** `tools` and `tool_choice` pass through in OpenAI's own format. */
export function chatTools(tools: Tool[] | undefined, choice: ToolChoice | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (tools !== undefined) out.tools = tools;
  if (choice !== undefined) out.tool_choice = choice;
  return out;
}
