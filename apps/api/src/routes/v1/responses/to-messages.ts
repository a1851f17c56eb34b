import {
  type Message,
  type MessageInput,
  type Output,
  ReasonqError,
  type ResponseInputItem,
  type ThinkingBlock,
  ThinkingBlockSchema,
} from "@reasonq/core";
import { z } from "zod";

/**
 * reasonq's `encrypted_content`: the turn's thinking blocks (Anthropic signatures, Gemini
 * thought signatures, OpenAI's own encrypted items), verbatim, base64url-encoded after a
 * version tag. It is opaque to clients; each provider verifies its own blocks when they go
 * back, so nothing here needs a secret.
 */
const TOKEN_PREFIX = "rq1.";
const BlocksSchema = z.array(ThinkingBlockSchema).max(1000);

export function encodeReasoning(blocks: readonly ThinkingBlock[]): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(blocks)).toString("base64url");
}

function decodeReasoning(token: string, field: string): ThinkingBlock[] {
  const bad = () =>
    new ReasonqError("invalid_request", `${field}: not an encrypted_content that reasonq issued`, { field });
  if (!token.startsWith(TOKEN_PREFIX)) throw bad();
  try {
    const parsed = BlocksSchema.safeParse(
      JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString()),
    );
    if (!parsed.success) throw bad();
    return parsed.data;
  } catch {
    throw bad();
  }
}

/** The id of a job's reasoning item; sent back without its encrypted_content it names the job. */
export const reasoningItemId = (jobId: string) => `rs_${jobId}`;

/** Finds the thinking blocks of one of the key's responses by its reasoning item id. */
export type ReasoningLookup = (jobId: string) => Promise<Output | undefined>;

interface Turn {
  text: string[];
  calls: NonNullable<Extract<MessageInput, { role: "assistant" }>["tool_calls"]>;
  blocks: ThinkingBlock[];
  reasoning: string[];
}

/**
 * Responses input items as chat messages. The items of one assistant turn (reasoning, its
 * message, its function calls) become one assistant message; a user, system or tool item
 * ends the turn.
 */
export async function itemsToMessages(
  items: Exclude<ResponseInputItem, { type: "item_reference" }>[],
  lookup: ReasoningLookup,
): Promise<MessageInput[]> {
  const out: MessageInput[] = [];
  let turn: Turn | undefined;
  const open = (): Turn => {
    turn ??= { text: [], calls: [], blocks: [], reasoning: [] };
    return turn;
  };
  const flush = () => {
    if (turn === undefined) return;
    const message: MessageInput = { role: "assistant", content: turn.text.join("") };
    if (turn.calls.length > 0) message.tool_calls = turn.calls;
    if (turn.blocks.length > 0) message.thinking_blocks = turn.blocks;
    if (turn.reasoning.length > 0) message.reasoning_content = turn.reasoning.join("\n\n");
    out.push(message);
    turn = undefined;
  };
  for (const [index, item] of items.entries()) {
    const field = `input.${index}`;
    if (item.type === "reasoning") {
      const current = open();
      current.reasoning.push(...item.summary.map((part) => part.text));
      current.blocks.push(...(await reasoningBlocks(item, field, lookup)));
    } else if (item.type === "function_call") {
      open().calls.push({
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments },
      });
    } else if (item.type === "function_call_output") {
      flush();
      const content = typeof item.output === "string" ? item.output : item.output.map((p) => p.text).join("");
      out.push({ role: "tool", tool_call_id: item.call_id, content });
    } else if (item.role === "assistant") {
      open().text.push(assistantText(item.content, field));
    } else {
      flush();
      out.push(nonAssistant(item.role, item.content, field));
    }
  }
  flush();
  return out;
}

async function reasoningBlocks(
  item: Extract<ResponseInputItem, { type: "reasoning" }>,
  field: string,
  lookup: ReasoningLookup,
): Promise<ThinkingBlock[]> {
  if (typeof item.encrypted_content === "string") {
    return decodeReasoning(item.encrypted_content, `${field}.encrypted_content`);
  }
  const output = item.id.startsWith("rs_") ? await lookup(item.id.slice(3)) : undefined;
  if (output === undefined) {
    throw new ReasonqError(
      "invalid_request",
      `${field}: reasoning item ${item.id} is not one of this key's stored responses; send it with its encrypted_content (include: ["reasoning.encrypted_content"])`,
      { field },
    );
  }
  return output.thinking_blocks;
}

type Content = Extract<ResponseInputItem, { role: string }>["content"];

function assistantText(content: Content, field: string): string {
  if (typeof content === "string") return content;
  return content
    .map((part, i) => {
      if (part.type === "output_text" || part.type === "input_text") return part.text;
      if (part.type === "refusal") return part.refusal;
      throw new ReasonqError("invalid_request", `${field}.content.${i}: an assistant message has no images`, {
        field: `${field}.content.${i}`,
      });
    })
    .join("");
}

function nonAssistant(role: "user" | "system" | "developer", content: Content, field: string): MessageInput {
  if (typeof content === "string") return { role, content };
  if (role !== "user") {
    const parts = content.map((part, i) => {
      if (part.type === "input_text" || part.type === "output_text") return { type: "text" as const, text: part.text };
      throw new ReasonqError("invalid_request", `${field}.content.${i}: a ${role} message holds text only`, {
        field: `${field}.content.${i}`,
      });
    });
    return { role, content: parts };
  }
  const parts = content.map((part, i) => {
    if (part.type === "input_text" || part.type === "output_text") return { type: "text" as const, text: part.text };
    if (part.type === "input_image") {
      return {
        type: "image_url" as const,
        image_url: { url: part.image_url, ...(part.detail === undefined ? {} : { detail: part.detail }) },
      };
    }
    throw new ReasonqError("invalid_request", `${field}.content.${i}: a user message holds no refusal`, {
      field: `${field}.content.${i}`,
    });
  });
  return { role: "user", content: parts };
}

/** A stored conversation message back in the form a request carries. */
export function storedToInput(message: Message): MessageInput {
  switch (message.role) {
    case "system":
    case "developer":
      return { role: message.role, content: message.content };
    case "tool":
      return { role: "tool", tool_call_id: message.tool_call_id ?? "", content: message.content };
    case "user":
      if (message.parts === undefined) return { role: "user", content: message.content };
      return {
        role: "user",
        content: message.parts.map((part) =>
          part.type === "text"
            ? { type: "text" as const, text: part.text }
            : {
                type: "image_url" as const,
                image_url: {
                  url: part.image.url,
                  ...(part.image.detail === undefined ? {} : { detail: part.image.detail }),
                },
              },
        ),
      };
    case "assistant": {
      const out: MessageInput = { role: "assistant", content: message.content };
      if (message.tool_calls !== undefined) out.tool_calls = message.tool_calls;
      if (message.thinking_blocks !== undefined) out.thinking_blocks = message.thinking_blocks;
      if (message.reasoning_content !== undefined) out.reasoning_content = message.reasoning_content;
      return out;
    }
  }
}

/** A finished job's answer as the assistant turn of the next request, reasoning and calls included. */
export function outputToInput(output: Output): MessageInput | undefined {
  const calls = output.tool_calls ?? [];
  if (output.answer === "" && calls.length === 0) return undefined;
  const out: MessageInput = { role: "assistant", content: output.answer };
  if (calls.length > 0) out.tool_calls = calls;
  if (output.thinking_blocks.length > 0) out.thinking_blocks = output.thinking_blocks;
  if (output.reasoning !== "") out.reasoning_content = output.reasoning;
  return out;
}
