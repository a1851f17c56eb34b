import type { MockTool } from "../tool-script.ts";
import { type GoogleErrorBody, invalidArgument } from "./google-mock-errors.ts";
import { DYNAMIC_THINKING_TOKENS, LEVEL_TOKENS, type MockGeminiModel, type MockLevel } from "./google-mock-models.ts";

/** One part as the mock reads it; other part kinds pass validation untouched. */
export interface MockPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name?: string };
  functionResponse?: { name?: string; response?: unknown };
  inlineData?: { mimeType?: string; data?: string };
  fileData?: { fileUri?: string; mimeType?: string };
}

export interface MockContent {
  role: "user" | "model";
  parts: MockPart[];
}

/** A validated generateContent request, reduced to what the mock's answer depends on. */
export interface MockGeminiRequest {
  contents: MockContent[];
  systemText: string;
  maxOutputTokens: number;
  includeThoughts: boolean;
  /** Thinking tokens the model will spend before answering (0 = no thinking). */
  thinkingTokens: number;
  tools: MockTool[];
  /** `toolConfig.functionCallingConfig.mode` (AUTO when not given). */
  toolMode: "AUTO" | "ANY" | "NONE";
  allowedFunctionNames: string[];
  /** `responseMimeType: application/json`: `null` for JSON mode, else the schema the answer follows. */
  json?: Record<string, unknown> | null;
}

const TOP_LEVEL = new Set([
  "contents",
  "systemInstruction",
  "generationConfig",
  "safetySettings",
  "tools",
  "toolConfig",
  "cachedContent",
  "serviceTier",
  "store",
  "continuationToken",
]);

const GENERATION_CONFIG = new Set([
  "temperature",
  "topP",
  "topK",
  "candidateCount",
  "maxOutputTokens",
  "stopSequences",
  "responseLogprobs",
  "logprobs",
  "presencePenalty",
  "frequencyPenalty",
  "seed",
  "responseMimeType",
  "responseSchema",
  "responseJsonSchema",
  "responseModalities",
  "mediaResolution",
  "speechConfig",
  "thinkingConfig",
  "audioTranscriptionConfig",
  "imageConfig",
  "enableEnhancedCivicAnswers",
]);

const THINKING_CONFIG = new Set(["includeThoughts", "thinkingBudget", "thinkingLevel"]);
const LEVELS = new Set<string>(["MINIMAL", "LOW", "MEDIUM", "HIGH"]);

type Result = { ok: true; request: MockGeminiRequest } | { ok: false; error: GoogleErrorBody };

const fail = (message: string): Result => ({ ok: false, error: invalidArgument(message) });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Google's proto-JSON parser answers an unknown field with this exact shape. */
function unknownField(object: Record<string, unknown>, allowed: Set<string>, at: string | null): string | null {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) {
      return `Invalid JSON payload received. Unknown name "${key}"${at === null ? "" : ` at '${at}'`}: Cannot find field.`;
    }
  }
  return null;
}

export function validateRequest(body: unknown, model: MockGeminiModel): Result {
  if (!isRecord(body)) return fail("Invalid JSON payload received. Expected an object.");
  const unknownTop = unknownField(body, TOP_LEVEL, null);
  if (unknownTop !== null) return fail(unknownTop);

  const contents = readContents(body.contents);
  if (typeof contents === "string") return fail(contents);

  const config = body.generationConfig ?? {};
  if (!isRecord(config)) return fail("Invalid JSON payload received. 'generation_config' must be an object.");
  const unknownConfig = unknownField(config, GENERATION_CONFIG, "generation_config");
  if (unknownConfig !== null) return fail(unknownConfig);

  const maxOutputTokens = config.maxOutputTokens ?? model.outputLimit;
  if (typeof maxOutputTokens !== "number" || !Number.isInteger(maxOutputTokens)) {
    return fail("Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32)");
  }
  if (maxOutputTokens < 1 || maxOutputTokens > model.outputLimit) {
    return fail(
      `Unable to submit request because it has a maxOutputTokens value of ${maxOutputTokens} but the supported range is from 1 (inclusive) to ${model.outputLimit + 1} (exclusive). Update the value and try again.`,
    );
  }
  if (
    config.temperature !== undefined &&
    !(typeof config.temperature === "number" && config.temperature >= 0 && config.temperature <= 2)
  ) {
    return fail(
      "Unable to submit request because it has a temperature value outside the supported range from 0 (inclusive) to 2 (inclusive).",
    );
  }

  const thinking = readThinking(config.thinkingConfig, model);
  if (typeof thinking === "string") return fail(thinking);

  if (model.thinking.kind === "level") {
    const unsigned = unsignedFunctionCall(contents);
    if (unsigned !== null) return fail(unsigned);
  }
  const tools = readTools(body.tools, body.toolConfig);
  if (typeof tools === "string") return fail(tools);

  const json = readJsonOutput(config);
  if (typeof json === "string") return fail(json);
  return {
    ok: true,
    request: {
      ...(json === undefined ? {} : { json }),
      contents,
      systemText: isRecord(body.systemInstruction) ? partsText(body.systemInstruction.parts) : "",
      maxOutputTokens,
      includeThoughts: thinking.includeThoughts,
      thinkingTokens: thinking.tokens,
      ...tools,
    },
  };
}

/** Structured output: a schema needs `responseMimeType: application/json` (§ generationConfig). */
function readJsonOutput(config: Record<string, unknown>): Record<string, unknown> | null | undefined | string {
  const schema = config.responseJsonSchema ?? config.responseSchema;
  if (config.responseMimeType !== "application/json") {
    return schema === undefined
      ? undefined
      : "responseJsonSchema and responseSchema require responseMimeType to be application/json.";
  }
  if (schema === undefined) return null;
  return isRecord(schema) ? schema : "Invalid value at 'generation_config.response_json_schema': expected an object";
}

function readTools(
  value: unknown,
  config: unknown,
): Pick<MockGeminiRequest, "tools" | "toolMode" | "allowedFunctionNames"> | string {
  const tools: MockTool[] = [];
  for (const [i, tool] of (Array.isArray(value) ? value : []).entries()) {
    if (!isRecord(tool)) return `Invalid JSON payload received. 'tools[${i}]' must be an object.`;
    for (const [j, fn] of (Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : []).entries()) {
      if (!isRecord(fn) || typeof fn.name !== "string" || fn.name === "") {
        return `* GenerateContentRequest.tools[${i}].function_declarations[${j}].name: Name cannot be empty.\n`;
      }
      if (fn.parameters !== undefined && fn.parametersJsonSchema !== undefined) {
        return `* GenerateContentRequest.tools[${i}].function_declarations[${j}]: parameters and parameters_json_schema are mutually exclusive.\n`;
      }
      const schema = fn.parametersJsonSchema ?? fn.parameters;
      tools.push({ name: fn.name, schema: isRecord(schema) ? schema : {} });
    }
  }
  const calling = isRecord(config) && isRecord(config.functionCallingConfig) ? config.functionCallingConfig : {};
  const mode = calling.mode ?? "AUTO";
  if (mode !== "AUTO" && mode !== "ANY" && mode !== "NONE") {
    return `Invalid value at 'tool_config.function_calling_config.mode', "${String(mode)}"`;
  }
  const allowed = Array.isArray(calling.allowedFunctionNames) ? calling.allowedFunctionNames.map(String) : [];
  return { tools, toolMode: mode, allowedFunctionNames: allowed };
}

function readContents(value: unknown): MockContent[] | string {
  if (!Array.isArray(value) || value.length === 0) {
    return "* GenerateContentRequest.contents: contents is not specified\n";
  }
  const contents: MockContent[] = [];
  for (const [i, item] of value.entries()) {
    if (!isRecord(item)) return `Invalid JSON payload received. 'contents[${i}]' must be an object.`;
    const role = item.role ?? "user";
    if (role !== "user" && role !== "model") return "Please use a valid role: user, model.";
    if (!Array.isArray(item.parts) || item.parts.length === 0 || !item.parts.every(isRecord)) {
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`;
    }
    for (const [j, part] of (item.parts as MockPart[]).entries()) {
      const problem = checkPart(part, `contents[${i}].parts[${j}]`);
      if (problem !== null) return problem;
    }
    contents.push({ role, parts: item.parts as MockPart[] });
  }
  return contents;
}

/** Images arrive inline (`inlineData` with mimeType and base64 data) or by URI (`fileData`). */
function checkPart(part: MockPart, at: string): string | null {
  if (part.inlineData !== undefined) {
    const { mimeType, data } = part.inlineData;
    if (typeof mimeType !== "string" || mimeType === "")
      return `* GenerateContentRequest.${at}.inline_data.mime_type: Required.\n`;
    if (typeof data !== "string" || !/^[A-Za-z0-9+/=]+$/.test(data)) {
      return `Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed`;
    }
  }
  if (part.fileData !== undefined) {
    const { fileUri, mimeType } = part.fileData;
    if (typeof fileUri !== "string" || fileUri === "")
      return `* GenerateContentRequest.${at}.file_data.file_uri: Required.\n`;
    if (typeof mimeType !== "string" || mimeType === "")
      return `* GenerateContentRequest.${at}.file_data.mime_type: Required.\n`;
  }
  return null;
}

export function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return "";
  return parts
    .filter(isRecord)
    .map((p) => (typeof p.text === "string" && p.thought !== true ? p.text : ""))
    .join("");
}

function readThinking(value: unknown, model: MockGeminiModel): { tokens: number; includeThoughts: boolean } | string {
  const spec = model.thinking;
  const config = value ?? {};
  if (!isRecord(config)) return "Invalid JSON payload received. 'thinking_config' must be an object.";
  const unknown = unknownField(config, THINKING_CONFIG, "generation_config.thinking_config");
  if (unknown !== null) return unknown;
  const includeThoughts = config.includeThoughts === true;
  const { thinkingBudget: budget, thinkingLevel: rawLevel } = config;

  if (budget !== undefined && rawLevel !== undefined) {
    // UNVERIFIED wording; the 400 itself is consistent across third-party docs (§4.2).
    return "You can only set one of thinking budget and thinking level.";
  }
  if (budget !== undefined && (typeof budget !== "number" || !Number.isInteger(budget))) {
    return "Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32)";
  }

  if (rawLevel !== undefined) {
    // The SDK enum is upper case; REST examples send lower case. Both are accepted.
    const level = typeof rawLevel === "string" ? rawLevel.toUpperCase() : "";
    if (!LEVELS.has(level)) {
      return `Invalid value at 'generation_config.thinking_config.thinking_level' (type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), "${String(rawLevel)}"`;
    }
    if (spec.kind === "budget") return "Thinking level is not supported for this model.";
    if (!spec.levels.includes(level as MockLevel)) {
      return `Thinking level ${level} is not supported for this model. Please retry with other thinking level.`;
    }
    return { tokens: LEVEL_TOKENS[level as MockLevel], includeThoughts };
  }

  if (spec.kind === "level") {
    // 3.x still takes a budget for backward compatibility, but cannot stop thinking.
    const lowest = LEVEL_TOKENS[spec.levels[0] ?? spec.defaultLevel];
    if (budget === undefined || budget === -1) return { tokens: LEVEL_TOKENS[spec.defaultLevel], includeThoughts };
    return { tokens: Math.max(lowest, budget), includeThoughts };
  }

  if (budget === undefined) return { tokens: spec.defaultOn ? DYNAMIC_THINKING_TOKENS : 0, includeThoughts };
  if (budget === -1) return { tokens: DYNAMIC_THINKING_TOKENS, includeThoughts };
  if (budget === 0) {
    return spec.canDisable
      ? { tokens: 0, includeThoughts }
      : "Budget 0 is invalid. This model only works in thinking mode.";
  }
  if (budget < spec.min || budget > spec.max) {
    return `The thinking budget ${budget} is invalid. Please choose a value between ${spec.min} and ${spec.max}.`;
  }
  return { tokens: budget, includeThoughts };
}

/** Gemini 3 refuses replayed function calls without their signature (§4.6, quoted message). */
function unsignedFunctionCall(contents: readonly MockContent[]): string | null {
  for (const content of contents) {
    if (content.role !== "model") continue;
    for (const [position, part] of content.parts.entries()) {
      if (part.functionCall === undefined || typeof part.thoughtSignature === "string") continue;
      const name = part.functionCall.name ?? "unknown";
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${position + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
  }
  return null;
}
