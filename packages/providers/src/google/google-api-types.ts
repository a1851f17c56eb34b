/**
 * The parts of Gemini's REST wire format reasonq writes or reads (shared/providers.md §4),
 * declared narrowly and independently of `@google/genai`, so the pure request and response
 * mapping does not depend on the SDK. Field names and values match the SDK's own types
 * (`GenerateContentConfig`, `ThinkingConfig`, `Part`, `GenerateContentResponseUsageMetadata`
 * in @google/genai 3.1.0 `dist/node/node.d.ts`).
 */

/** The SDK's `ThinkingLevel` enum values (REST also accepts lower case). */
export type GeminiThinkingLevel = "MINIMAL" | "LOW" | "MEDIUM" | "HIGH";

export interface GeminiThinkingConfig {
  includeThoughts?: boolean;
  /** 0 = off, -1 = dynamic, else tokens (Gemini 2.5). Never sent together with a level. */
  thinkingBudget?: number;
  /** Gemini 3.x. Never sent together with a budget (that is a 400). */
  thinkingLevel?: GeminiThinkingLevel;
}

export interface GeminiGenerationConfig {
  maxOutputTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  thinkingConfig?: GeminiThinkingConfig;
  /** Structured output: `application/json`, constrained by `responseJsonSchema` when given. */
  responseMimeType?: "application/json";
  responseJsonSchema?: Record<string, unknown>;
}

export interface GeminiTextPart {
  text: string;
}

/** A request part: text, an image, a function call (with its signature) or a function's result. */
export type GeminiPart =
  | { text: string; thoughtSignature?: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType: string } }
  | { functionCall: { id?: string; name: string; args: Record<string, unknown> }; thoughtSignature?: string }
  | { functionResponse: { id?: string; name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiPart[];
}

export interface GeminiTool {
  functionDeclarations: Array<{ name: string; description?: string; parametersJsonSchema?: unknown }>;
}

export interface GeminiToolConfig {
  functionCallingConfig: { mode: "AUTO" | "ANY" | "NONE"; allowedFunctionNames?: string[] };
}

/** The `generateContent` request body (the model is in the URL path). */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiTextPart[] };
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig: GeminiGenerationConfig;
}

/** A response part as read back; unknown fields are ignored, never rebuilt. */
export interface GeminiResponsePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name?: string; args?: Record<string, unknown> };
}

/** `usageMetadata`; every count is optional on the wire. */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiCandidate {
  content?: { parts?: GeminiResponsePart[] };
  finishReason?: string;
}

/** A `generateContent` response, or one chunk of `streamGenerateContent`. */
export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  promptFeedback?: { blockReason?: string };
  responseId?: string;
  modelVersion?: string;
}
