import type { MockTool } from "../tool-script.ts";
import { MOCK_CLAUDE_MODELS, type MockClaudeModel } from "./anthropic-mock-models.ts";

export const ANTHROPIC_VERSIONS = ["2023-06-01", "2026-10-21"] as const;
export type AnthropicVersion = (typeof ANTHROPIC_VERSIONS)[number];

/** An error the mock answers with, in Anthropic's shape (`{type:"error", error:{type, message}}`). */
export interface MockApiError {
  status: number;
  type: string;
  message: string;
}

export type Block = Record<string, unknown> & { type?: unknown };

export interface MockMessagesRequest {
  model: string;
  spec: MockClaudeModel;
  maxTokens: number;
  system: string;
  messages: Array<{ role: "user" | "assistant"; content: string | Block[] }>;
  /** Whether thinking runs, and how much (a budget, or an effort for adaptive thinking). */
  thinking: { on: false } | { on: true; budget: number | null; effort: string; display: "summarized" | "omitted" };
  stopSequences: string[];
  stream: boolean;
  cacheControl: boolean;
  tools: MockTool[];
  /** `auto` when not given; `none`, `any` or a tool name otherwise. */
  toolChoice: { type: "auto" | "none" | "any" } | { type: "tool"; name: string };
  /** `output_config.format` (structured output): the JSON Schema the answer follows. */
  outputSchema?: Json;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const invalid = (message: string): MockApiError => ({ status: 400, type: "invalid_request_error", message });
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

const DOCS = "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

/**
 * The request checks the real API makes that adapters trip on (providers.md §3, §9 item 3).
 * Messages quoted in providers.md are used verbatim; the others are worded after Anthropic's
 * style and are the mock's own (the exact texts are UNVERIFIED there).
 */
export function validateMessagesRequest(
  body: unknown,
  version: AnthropicVersion,
  betas: readonly string[],
): MockMessagesRequest | MockApiError {
  if (!isRecord(body)) return invalid("The request body is not valid JSON.");
  if (typeof body.model !== "string") return invalid("model: Field required");
  const spec = MOCK_CLAUDE_MODELS[body.model];
  if (spec === undefined || spec.retired === true) {
    return { status: 404, type: "not_found_error", message: `model: ${body.model}` };
  }
  if (!isInt(body.max_tokens) || body.max_tokens < 1) return invalid("max_tokens: Field required");
  if (body.max_tokens > spec.maxOutput) {
    return invalid(
      `max_tokens: ${body.max_tokens} > ${spec.maxOutput}, which is the maximum allowed number of output tokens for ${body.model}`,
    );
  }

  const sampling = checkSamplingFields(body, version);
  if (sampling !== null) return sampling;

  const messages = checkMessages(body.messages, spec);
  if (!Array.isArray(messages)) return messages;
  const system = systemText(body.system);
  if (typeof system !== "string") return system;

  const thinking = checkThinking(body, spec, betas);
  if ("status" in thinking) return thinking;
  const multiTurn = checkThinkingBlocks(messages, thinking.on) ?? checkToolPairs(messages);
  if (multiTurn !== null) return multiTurn;
  const tools = checkTools(body, thinking);
  if ("status" in tools) return tools;
  if (version === "2023-06-01") {
    const rule = checkLegacySampling(body, spec, thinking.on);
    if (rule !== null) return rule;
  }

  const stop = body.stop_sequences;
  if (stop !== undefined && !(Array.isArray(stop) && stop.every((s) => typeof s === "string"))) {
    return invalid("stop_sequences: Input should be a valid list of strings");
  }
  const format = isRecord(body.output_config) ? body.output_config.format : undefined;
  if (format !== undefined && !(isRecord(format) && format.type === "json_schema" && isRecord(format.schema))) {
    return invalid(
      "output_config.format: Input tag does not match the expected tag 'json_schema' with a `schema` object",
    );
  }
  return {
    ...(format === undefined ? {} : { outputSchema: format.schema as Json }),
    model: body.model,
    spec,
    maxTokens: body.max_tokens,
    system,
    messages,
    thinking,
    stopSequences: (stop as string[] | undefined) ?? [],
    stream: body.stream === true,
    cacheControl: isRecord(body.cache_control) && body.cache_control.type === "ephemeral",
    ...tools,
  };
}

function checkTools(
  body: Json,
  thinking: MockMessagesRequest["thinking"],
): Pick<MockMessagesRequest, "tools" | "toolChoice"> | MockApiError {
  const tools: MockTool[] = [];
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return invalid("tools: Input should be a valid list");
    for (const [i, tool] of body.tools.entries()) {
      if (!isRecord(tool) || typeof tool.name !== "string") return invalid(`tools.${i}.name: Field required`);
      if (!isRecord(tool.input_schema)) return invalid(`tools.${i}.custom.input_schema: Field required`);
      tools.push({ name: tool.name, schema: tool.input_schema });
    }
  }
  const choice = body.tool_choice;
  if (choice === undefined) return { tools, toolChoice: { type: "auto" } };
  if (!isRecord(choice)) return invalid("tool_choice: Input should be an object");
  if (choice.type === "tool") {
    if (typeof choice.name !== "string" || !tools.some((t) => t.name === choice.name)) {
      return invalid(`tool_choice.tool.name: tool ${String(choice.name)} not found in tools`);
    }
  } else if (choice.type !== "auto" && choice.type !== "none" && choice.type !== "any") {
    return invalid(
      `tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`,
    );
  }
  // providers.md §3.2: manual thinking allows only auto and none.
  if ((choice.type === "any" || choice.type === "tool") && thinking.on && thinking.budget !== null) {
    return invalid("Thinking may not be enabled when tool_choice forces tool use.");
  }
  const toolChoice =
    choice.type === "tool"
      ? { type: "tool" as const, name: choice.name as string }
      : { type: choice.type as "auto" | "none" | "any" };
  return { tools, toolChoice };
}

/** Every tool_use is answered by a tool_result in the next (user) turn, and every tool_result answers one. */
function checkToolPairs(messages: MockMessagesRequest["messages"]): MockApiError | null {
  for (const [i, message] of messages.entries()) {
    const blocks = typeof message.content === "string" ? [] : message.content;
    if (message.role === "assistant") {
      const ids = blocks.filter((b) => b.type === "tool_use").map((b) => String(b.id));
      if (ids.length === 0) continue;
      const next = messages[i + 1];
      const answered = new Set(
        (next === undefined || typeof next.content === "string" ? [] : next.content)
          .filter((b) => b.type === "tool_result")
          .map((b) => String(b.tool_use_id)),
      );
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0 && next !== undefined) {
        return invalid(
          `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
      continue;
    }
    const previous = messages[i - 1];
    const offered = new Set(
      (previous === undefined || typeof previous.content === "string" ? [] : previous.content)
        .filter((b) => b.type === "tool_use")
        .map((b) => String(b.id)),
    );
    for (const [j, block] of blocks.entries()) {
      if (block.type === "tool_result" && !offered.has(String(block.tool_use_id))) {
        return invalid(
          `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
      }
    }
  }
  return null;
}

function checkSamplingFields(body: Json, version: AnthropicVersion): MockApiError | null {
  for (const field of ["temperature", "top_p", "top_k"] as const) {
    if (body[field] === undefined) continue;
    // providers.md §3.1: under 2026-10-21 the three are refused even at default values.
    if (version === "2026-10-21") return invalid(`${field}: Extra inputs are not permitted`);
    if (typeof body[field] !== "number") return invalid(`${field}: Input should be a valid number`);
  }
  return null;
}

function checkLegacySampling(body: Json, spec: MockClaudeModel, thinking: boolean): MockApiError | null {
  const temperature = body.temperature as number | undefined;
  const topP = body.top_p as number | undefined;
  const topK = body.top_k as number | undefined;
  if (temperature !== undefined && (temperature < 0 || temperature > 1)) {
    return invalid("temperature: Input should be less than or equal to 1");
  }
  if (spec.sampling === "default-only") {
    if (temperature !== undefined && temperature !== 1) {
      return invalid("temperature: only the default value 1 is supported for this model");
    }
    if (topP !== undefined && topP < 0.99)
      return invalid("top_p: only values of 0.99 or more are supported for this model");
    if (topK !== undefined) return invalid("top_k: Extra inputs are not permitted for this model");
    return null;
  }
  if (spec.sampling === "one-of" && temperature !== undefined && topP !== undefined) {
    return invalid("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
  }
  if (!thinking) return null;
  if (temperature !== undefined && temperature !== 1) {
    return invalid(
      `\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at ${DOCS}#feature-compatibility`,
    );
  }
  if (topK !== undefined) {
    return invalid(`\`top_k\` is not supported when thinking is enabled. Please consult our documentation at ${DOCS}`);
  }
  if (topP !== undefined && topP < 0.95) {
    return invalid(
      `\`top_p\` must be set to a value between 0.95 and 1 when thinking is enabled. Please consult our documentation at ${DOCS}`,
    );
  }
  return null;
}

function checkMessages(value: unknown, spec: MockClaudeModel): MockMessagesRequest["messages"] | MockApiError {
  if (!Array.isArray(value) || value.length === 0) return invalid("messages: at least one message is required");
  const out: MockMessagesRequest["messages"] = [];
  for (const [i, message] of value.entries()) {
    if (!isRecord(message) || (message.role !== "user" && message.role !== "assistant")) {
      return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    const { content } = message;
    if (typeof content === "string") {
      if (content.trim() === "") return invalid(`messages.${i}: text content blocks must be non-empty`);
    } else if (!Array.isArray(content) || !content.every(isRecord)) {
      return invalid(`messages.${i}.content: Input should be a valid string or list of content blocks`);
    } else {
      const blockProblem = checkBlocks(content, message.role, i);
      if (blockProblem !== null) return blockProblem;
    }
    out.push({ role: message.role, content: content as string | Block[] });
  }
  if (!spec.prefill && out.at(-1)?.role === "assistant") {
    return invalid(
      "Prefilling the assistant message is not supported for this model. End the conversation with a user message.",
    );
  }
  return out;
}

const BLOCK_TYPES = {
  user: ["text", "image", "document", "tool_result", "search_result"],
  assistant: ["text", "thinking", "redacted_thinking", "tool_use", "server_tool_use"],
} as const;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/** Block types per role, and the two image sources (`base64` with a media type, or `url`). */
function checkBlocks(blocks: Json[], role: "user" | "assistant", i: number): MockApiError | null {
  for (const [j, block] of blocks.entries()) {
    const allowed: readonly string[] = BLOCK_TYPES[role];
    if (typeof block.type !== "string" || !allowed.includes(block.type)) {
      return invalid(
        `messages.${i}.content.${j}: Input tag '${String(block.type)}' found using 'type' does not match any of the expected tags: ${allowed.map((t) => `'${t}'`).join(", ")}`,
      );
    }
    if (block.type !== "image") continue;
    const source = isRecord(block.source) ? block.source : {};
    if (source.type === "base64") {
      if (typeof source.media_type !== "string" || !IMAGE_TYPES.includes(source.media_type)) {
        return invalid(
          `messages.${i}.content.${j}.image.source.base64.media_type: Input should be ${IMAGE_TYPES.map((t) => `'${t}'`).join(", ")}`,
        );
      }
      if (typeof source.data !== "string" || source.data === "") {
        return invalid(`messages.${i}.content.${j}.image.source.base64.data: Field required`);
      }
    } else if (source.type === "url") {
      if (typeof source.url !== "string" || !source.url.startsWith("https://")) {
        return invalid(`messages.${i}.content.${j}.image.source.url.url: Only HTTPS URLs are supported.`);
      }
    } else {
      return invalid(
        `messages.${i}.content.${j}.image.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`,
      );
    }
  }
  return null;
}

function systemText(value: unknown): string | MockApiError {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((b) => isRecord(b) && typeof b.text === "string")) {
    return value.map((b) => (b as { text: string }).text).join("\n");
  }
  return invalid("system: Input should be a valid string or list of text blocks");
}

function checkThinking(
  body: Json,
  spec: MockClaudeModel,
  betas: readonly string[],
): MockMessagesRequest["thinking"] | MockApiError {
  const effortGiven = isRecord(body.output_config) ? body.output_config.effort : undefined;
  if (effortGiven !== undefined && effortGiven !== null) {
    if (spec.efforts.length === 0) return invalid("output_config.effort: effort is not supported for this model");
    if (typeof effortGiven !== "string" || !spec.efforts.includes(effortGiven)) {
      return invalid(
        `output_config.effort: ${JSON.stringify(effortGiven)} is not supported for this model; supported values: ${spec.efforts.join(", ")}`,
      );
    }
  }
  const effort = typeof effortGiven === "string" ? effortGiven : spec.defaultEffort;
  const { thinking } = body;
  if (thinking === undefined) {
    return spec.thinksByDefault ? { on: true, budget: null, effort, display: spec.defaultDisplay } : { on: false };
  }
  if (!isRecord(thinking)) return invalid("thinking: Input should be an object");
  const display = thinking.display ?? spec.defaultDisplay;
  if (display !== "summarized" && display !== "omitted") {
    return invalid("thinking.display: Input should be 'summarized' or 'omitted'");
  }
  switch (thinking.type) {
    case "disabled":
      if (!spec.canDisable) return invalid('"thinking.type.disabled" is not supported for this model.');
      if (spec.thinksByDefault && (effort === "xhigh" || effort === "max")) {
        return invalid("thinking can only be disabled with an effort of high or lower on this model.");
      }
      return { on: false };
    case "adaptive":
      if (spec.thinking === "budget") return invalid('"thinking.type.adaptive" is not supported for this model.');
      return { on: true, budget: null, effort, display };
    case "enabled": {
      if (spec.thinking === "adaptive") {
        return invalid(
          '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
        );
      }
      const budget = thinking.budget_tokens;
      if (!isInt(budget)) return invalid("thinking.enabled.budget_tokens: Field required");
      if (budget < 1024)
        return invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      const interleaved = spec.thinking === "budget" && betas.includes("interleaved-thinking-2025-05-14");
      if (budget >= (body.max_tokens as number) && !interleaved) {
        return invalid(
          `\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${DOCS}#max-tokens-and-context-window-size`,
        );
      }
      return { on: true, budget, effort, display };
    }
    default:
      return invalid(
        `thinking: Input tag '${String(thinking.type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'`,
      );
  }
}

const isThinkingBlock = (b: Block) => b.type === "thinking" || b.type === "redacted_thinking";

/** providers.md §3.6: the multi-turn thinking-block rules, with the quoted messages. */
function checkThinkingBlocks(messages: MockMessagesRequest["messages"], thinkingOn: boolean): MockApiError | null {
  const lastAssistant = messages.findLastIndex((m) => m.role === "assistant");
  for (const [i, message] of messages.entries()) {
    if (message.role !== "assistant" || typeof message.content === "string") continue;
    const blocks = message.content;
    const final = i === lastAssistant;
    if (blocks.some(isThinkingBlock) && !isThinkingBlock(blocks[0] as Block)) {
      return invalid(
        `messages.${i}.content.0: If an assistant message contains any thinking blocks, the first block must be thinking or redacted_thinking. Found ${String(blocks[0]?.type)}.`,
      );
    }
    if (final && !thinkingOn && blocks.some(isThinkingBlock)) {
      return invalid(
        `messages.${i}.content.0: When thinking is disabled, an \`assistant\` message in the final position cannot contain \`thinking\`. To use thinking blocks, enable \`thinking\` in your request.`,
      );
    }
    if (final && i === messages.length - 1 && blocks.length > 0 && isThinkingBlock(blocks.at(-1) as Block)) {
      return invalid(`messages.${i}: The final block in an assistant message cannot be \`thinking\`.`);
    }
    if (final && thinkingOn && blocks.some((b) => b.type === "tool_use") && !isThinkingBlock(blocks[0] as Block)) {
      return invalid(
        `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(blocks[0]?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at ${DOCS}`,
      );
    }
  }
  return null;
}
