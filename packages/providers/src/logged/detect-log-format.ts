import { LOG_FORMATS, type LogFormat, ReasonqError } from "@reasonq/core";

export type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** Families whose own API never returns reasoning text on a chat message. */
const SILENT_ON_CHAT = new Set(["openai", "anthropic", "google", "sim"]);

type Shape = "chat" | "openai-responses" | "anthropic" | "gemini";

/** Which wire shape the response has, before the model is known; undefined when none fits. */
function shapeOf(response: Json): Shape | undefined {
  if (response.object === "chat.completion") return "chat";
  if (response.object === "response") return "openai-responses";
  if (response.type === "message" && Array.isArray(response.content)) return "anthropic";
  if (Array.isArray(response.candidates) || isRecord(response.usageMetadata)) return "gemini";
  if (response.object === undefined && Array.isArray(response.choices)) return "chat";
  return undefined;
}

const SHAPE_NAMES = {
  chat: "an OpenAI Chat Completions response",
  "openai-responses": "an OpenAI Responses response",
  anthropic: "an Anthropic Messages response",
  gemini: "a Gemini generateContent response",
} as const;

function shapeOfFormat(format: LogFormat): keyof typeof SHAPE_NAMES {
  return format === "openai-chat" || format === "deepseek" || format === "gateway" ? "chat" : format;
}

export function chatMessage(response: Json): Json | undefined {
  const choices = Array.isArray(response.choices) ? response.choices : [];
  const choice = choices.find((c) => isRecord(c) && c.index === 0) ?? choices[0];
  return isRecord(choice) && isRecord(choice.message) ? choice.message : undefined;
}

/** A chat completion's dialect, once the model (hence its provider) is known. */
function chatFormat(response: Json, provider: string): LogFormat {
  const message = chatMessage(response);
  if (message !== undefined && "thinking_blocks" in message) return "gateway";
  if (provider === "deepseek") return "deepseek";
  const reasons = message !== undefined && ("reasoning_content" in message || "reasoning" in message);
  if (reasons && SILENT_ON_CHAT.has(provider)) return "gateway";
  return "openai-chat";
}

/**
 * The response's wire shape, checked against a named format; undefined when it has no
 * shape we know (then the format must be named). The chat dialect is settled once the
 * model is known: `formatOf`.
 */
export function checkShape(response: Json, format: LogFormat | undefined): Shape | undefined {
  const shape = shapeOf(response);
  if (format !== undefined && shape !== undefined && shapeOfFormat(format) !== shape) {
    throw new ReasonqError(
      "invalid_request",
      `format "${format}" does not fit the response, which is ${SHAPE_NAMES[shape]}`,
      {
        field: "format",
      },
    );
  }
  if (format === undefined && shape === undefined) {
    throw new ReasonqError(
      "invalid_request",
      `the response's format is not recognised; name it in \`format\` (${LOG_FORMATS.join(", ")})`,
      { field: "response" },
    );
  }
  return shape;
}

/** The exchange's format: as named, else from its shape and (for chat) its model's provider. */
export function formatOf(
  response: Json,
  named: LogFormat | undefined,
  shape: Shape | undefined,
  provider: string,
): LogFormat {
  return named ?? (shape === "chat" ? chatFormat(response, provider) : (shape as LogFormat));
}
