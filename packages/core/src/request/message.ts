import { z } from "zod";

export const MAX_MESSAGES = 1000;
/** Characters per message; the HTTP body limit bounds the total. */
export const MAX_MESSAGE_CHARS = 2_000_000;

const TextPartSchema = z.strictObject({ type: z.literal("text"), text: z.string().max(MAX_MESSAGE_CHARS) });

export const MessageSchema = z
  .strictObject({
    role: z.enum(["system", "developer", "user", "assistant"]),
    content: z.union([z.string().max(MAX_MESSAGE_CHARS), z.array(TextPartSchema).min(1).max(100)]),
  })
  .meta({ id: "Message" });
export type MessageInput = z.infer<typeof MessageSchema>;

/** A message with its content flattened to text: what adapters receive. */
export interface Message {
  role: "system" | "developer" | "user" | "assistant";
  content: string;
}

export function flattenMessage(message: MessageInput): Message {
  const content =
    typeof message.content === "string" ? message.content : message.content.map((part) => part.text).join("");
  return { role: message.role, content };
}
