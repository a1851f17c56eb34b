import { type Message, ReasonqError, type Tool, type ToolChoice } from "@reasonq/core";
import { parseToolArguments } from "../shared/tool-arguments.ts";
import type { GeminiContent, GeminiPart, GeminiTool, GeminiToolConfig } from "./google-api-types.ts";

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/**
 * reasonq messages → Gemini `contents` (providers.md §4.6). A model turn carries its parts
 * with the thought signatures it was given, each on the part it came on: a signature kept
 * with a `tool_call_id` goes on that call's `functionCall` part, one without on the text part.
 * Tool messages become `functionResponse` parts of one user turn (Gemini matches results to
 * calls by function name and order, so the name is looked up from the call; ids, which may be
 * reasonq's own, are not sent). Images: a data: URL as `inlineData`, an https
 * URL as `fileData`.
 */
export function toGeminiContents(messages: readonly Message[]): GeminiContent[] {
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  const push = (role: "user" | "model", parts: GeminiPart[]) => {
    const last = contents.at(-1);
    if (role === "user" && last?.role === "user" && last.parts.some((p) => "functionResponse" in p)) {
      last.parts.push(...parts);
    } else contents.push({ role, parts });
  };
  messages.forEach((m, index) => {
    switch (m.role) {
      case "user":
        push("user", userParts(m, index));
        return;
      case "assistant":
        for (const call of m.tool_calls ?? []) callNames.set(call.id, call.function.name);
        push("model", modelParts(m, index));
        return;
      case "tool":
        push("user", [
          {
            functionResponse: {
              name: callNames.get(m.tool_call_id as string) ?? "",
              response: { result: m.content },
            },
          },
        ]);
        return;
      default:
        return;
    }
  });
  return contents;
}

function userParts(m: Message, index: number): GeminiPart[] {
  if (m.parts === undefined) return [{ text: m.content }];
  return m.parts.map((part): GeminiPart => {
    if (part.type === "text") return { text: part.text };
    const { image } = part;
    if (image.data !== undefined) return { inlineData: { mimeType: image.data.media_type, data: image.data.base64 } };
    const extension = new URL(image.url).pathname.split(".").at(-1)?.toLowerCase() ?? "";
    const mimeType = IMAGE_TYPES[extension];
    if (mimeType === undefined) {
      throw new ReasonqError(
        "invalid_request",
        "Gemini needs an image's type: give a URL ending in .png, .jpg, .gif or .webp, or a data: URL",
        { field: `messages.${index}.content` },
      );
    }
    return { fileData: { fileUri: image.url, mimeType } };
  });
}

function modelParts(m: Message, index: number): GeminiPart[] {
  const signatures = new Map<string, string>();
  let textSignature: string | undefined;
  for (const block of m.thinking_blocks ?? []) {
    if (block.type !== "thinking" || typeof block.signature !== "string") continue;
    if (typeof block.tool_call_id === "string") signatures.set(block.tool_call_id, block.signature);
    else textSignature ??= block.signature;
  }
  const parts: GeminiPart[] = [];
  if (m.content !== "" || (textSignature !== undefined && (m.tool_calls ?? []).length === 0)) {
    parts.push({ text: m.content, ...(textSignature === undefined ? {} : { thoughtSignature: textSignature }) });
  }
  for (const [i, call] of (m.tool_calls ?? []).entries()) {
    const args = parseToolArguments(call.function.arguments, `messages.${index}.tool_calls.${i}.function.arguments`);
    const signature = signatures.get(call.id);
    parts.push({
      functionCall: { name: call.function.name, args },
      ...(signature === undefined ? {} : { thoughtSignature: signature }),
    });
  }
  return parts;
}

/** Function tools as `functionDeclarations`, their parameters as given (`parametersJsonSchema`). */
export function toGeminiTools(tools: Tool[] | undefined, choice: ToolChoice | undefined) {
  const out: { tools?: GeminiTool[]; toolConfig?: GeminiToolConfig } = {};
  if (tools !== undefined) {
    out.tools = [
      {
        functionDeclarations: tools.map(({ function: f }) => ({
          name: f.name,
          ...(f.description === undefined ? {} : { description: f.description }),
          ...(f.parameters === undefined ? {} : { parametersJsonSchema: f.parameters }),
        })),
      },
    ];
  }
  if (choice !== undefined) {
    out.toolConfig = {
      functionCallingConfig:
        typeof choice === "object"
          ? { mode: "ANY", allowedFunctionNames: [choice.function.name] }
          : { mode: choice === "required" ? "ANY" : choice === "none" ? "NONE" : "AUTO" },
    };
  }
  return out;
}
