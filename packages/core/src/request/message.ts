import { z } from "zod";
import { ThinkingBlockSchema } from "../result/output.ts";
import { type ToolCall, ToolCallSchema } from "./tools.ts";

export const MAX_MESSAGES = 1000;
/** Characters per message; the HTTP body limit bounds the total. */
export const MAX_MESSAGE_CHARS = 2_000_000;
/** Characters of one image URL; a `data:` URL of about 7.5 MB of image. */
export const MAX_IMAGE_URL_CHARS = 10_000_000;

const TextPartSchema = z.strictObject({ type: z.literal("text"), text: z.string().max(MAX_MESSAGE_CHARS) });

const DATA_URL = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)$/;

const ImagePartSchema = z.strictObject({
  type: z.literal("image_url"),
  image_url: z.strictObject({
    url: z
      .string()
      .max(MAX_IMAGE_URL_CHARS, { message: `an image URL or data: URL is at most ${MAX_IMAGE_URL_CHARS} characters` })
      .refine((url) => url.startsWith("https://") || DATA_URL.test(url), {
        message: "an image is an https URL or a base64 data: URL of a png, jpeg, gif or webp image",
      }),
    detail: z.enum(["auto", "low", "high"]).optional(),
  }),
});

/** A refusal part, as OpenAI's SDK types allow on assistant messages sent back. */
const RefusalPartSchema = z.strictObject({ type: z.literal("refusal"), refusal: z.string().max(MAX_MESSAGE_CHARS) });

const textContent = z.union([z.string().max(MAX_MESSAGE_CHARS), z.array(TextPartSchema).min(1).max(100)]);
const name = z.string().max(64).optional();

const InstructionMessageSchema = z.strictObject({
  role: z.enum(["system", "developer"]),
  content: textContent,
  name,
});

const UserMessageSchema = z.strictObject({
  role: z.literal("user"),
  content: z.union([
    z.string().max(MAX_MESSAGE_CHARS),
    z
      .array(z.discriminatedUnion("type", [TextPartSchema, ImagePartSchema]))
      .min(1)
      .max(100),
  ]),
  name,
});

/**
 * An assistant turn, as reasonq (or OpenAI) returned it and the client sends it back. The
 * fields the OpenAI SDK puts on a returned message are accepted as they came back
 * (`refusal`, `annotations`, `audio`, a null `function_call`); reasonq's reasoning fields
 * carry the turn's reasoning to the next call.
 */
const AssistantMessageSchema = z.strictObject({
  role: z.literal("assistant"),
  content: z
    .union([
      z.string().max(MAX_MESSAGE_CHARS),
      z.array(z.discriminatedUnion("type", [TextPartSchema, RefusalPartSchema])).max(100),
    ])
    .nullable()
    .optional(),
  name,
  refusal: z.string().max(MAX_MESSAGE_CHARS).nullable().optional(),
  annotations: z.array(z.unknown()).max(1000).optional(),
  audio: z
    .strictObject({ id: z.string().max(200) })
    .nullable()
    .optional(),
  function_call: z.null().optional(),
  tool_calls: z.array(ToolCallSchema).max(128).optional(),
  reasoning_content: z.string().max(MAX_MESSAGE_CHARS).nullable().optional(),
  thinking_blocks: z.array(ThinkingBlockSchema).max(1000).optional(),
});

/** `name` is the function whose result this is (LangChain sends it); it must match the call answered. */
const ToolMessageSchema = z.strictObject({
  role: z.literal("tool"),
  content: textContent,
  tool_call_id: z.string().min(1).max(200),
  name,
});

export const MessageSchema = z
  .discriminatedUnion("role", [InstructionMessageSchema, UserMessageSchema, AssistantMessageSchema, ToolMessageSchema])
  .meta({ id: "Message" });
export type MessageInput = z.infer<typeof MessageSchema>;

/** An image as adapters receive it: the URL as given, and for a data: URL its parts. */
export interface ImageInput {
  url: string;
  /** Set for a data: URL. */
  data?: { media_type: string; base64: string };
  detail?: "auto" | "low" | "high";
}

export type ContentPart = { type: "text"; text: string } | { type: "image"; image: ImageInput };

/** A message in the one form adapters receive. */
export interface Message {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  /** The text of the message, parts joined. */
  content: string;
  /** Set when a user message has images: text and images in their order. */
  parts?: ContentPart[];
  reasoning_content?: string;
  /** Kept blocks of this turn, each naming the provider it came from. */
  thinking_blocks?: z.infer<typeof ThinkingBlockSchema>[];
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** On a tool message, the function named by the client; checked against the call it answers. */
  tool_name?: string;
}

export function imageInput(url: string, detail?: "auto" | "low" | "high"): ImageInput {
  const match = DATA_URL.exec(url);
  const image: ImageInput = { url };
  if (match !== null) image.data = { media_type: match[1] as string, base64: match[2] as string };
  if (detail !== undefined) image.detail = detail;
  return image;
}

export function flattenMessage(message: MessageInput): Message {
  switch (message.role) {
    case "system":
    case "developer":
      return { role: message.role, content: joinText(message.content) };
    case "tool": {
      const out: Message = { role: "tool", content: joinText(message.content), tool_call_id: message.tool_call_id };
      if (message.name !== undefined) out.tool_name = message.name;
      return out;
    }
    case "user": {
      if (typeof message.content === "string") return { role: "user", content: message.content };
      const parts = message.content.map(
        (part): ContentPart =>
          part.type === "text"
            ? { type: "text", text: part.text }
            : { type: "image", image: imageInput(part.image_url.url, part.image_url.detail) },
      );
      const content = parts.map((p) => (p.type === "text" ? p.text : "")).join("");
      return parts.some((p) => p.type === "image") ? { role: "user", content, parts } : { role: "user", content };
    }
    case "assistant": {
      const content =
        typeof message.content === "string"
          ? message.content
          : (message.content ?? []).map((p) => (p.type === "text" ? p.text : p.refusal)).join("");
      const out: Message = { role: "assistant", content };
      if (message.reasoning_content !== undefined && message.reasoning_content !== null) {
        out.reasoning_content = message.reasoning_content;
      }
      if (message.thinking_blocks !== undefined && message.thinking_blocks.length > 0) {
        out.thinking_blocks = message.thinking_blocks;
      }
      if (message.tool_calls !== undefined && message.tool_calls.length > 0) out.tool_calls = message.tool_calls;
      return out;
    }
  }
}

function joinText(content: string | { text: string }[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}

/** The text of a message as sent, parts joined (images left out). */
export function messageText(message: MessageInput): string {
  return flattenMessage(message).content;
}
