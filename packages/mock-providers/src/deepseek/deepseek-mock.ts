import type { MockServer } from "../http.ts";
import {
  type ChatBody,
  type ChatImageRules,
  type ChatMockDialect,
  type MockError,
  obj,
  openAIErrorBody,
  str,
} from "../openai-compatible/chat-dialect.ts";
import { type ChatMockOptions, startChatMock } from "../openai-compatible/chat-mock.ts";
import { EFFORT_TOKENS } from "../openai-compatible/chat-script.ts";

/** Models the current API serves (providers.md §5.1); deepseek-chat/-reasoner were retired on 2026-07-24. */
export const DEEPSEEK_MOCK_MODELS = ["deepseek-flash", "deepseek-v4-flash", "deepseek-v4-pro"];

/** DeepSeek's own effort folding (providers.md §5.2). */
const EFFORT_LEVELS: Record<string, "low" | "high" | "max"> = {
  minimal: "low",
  low: "low",
  medium: "high",
  high: "high",
  xhigh: "high",
  max: "max",
  ultra: "max",
};

export const REASONING_PASSBACK_MESSAGE = "The reasoning_content in the thinking mode must be passed back to the API.";

function thinkingEnabled(body: ChatBody): boolean {
  return obj(body, "thinking")?.type !== "disabled";
}

/** The status texts of api-docs.deepseek.com quick_start/error_codes. */
function deepseekFault(status: number): MockError {
  const error = (message: string, type = "invalid_request_error"): MockError => ({
    status,
    message,
    type,
    code: "invalid_request_error",
  });
  switch (status) {
    case 400:
      return error("Invalid Format: invalid request body format");
    case 401:
      return error("Authentication Fails, Your api key: ****mock is invalid", "authentication_error");
    case 402:
      return error("Insufficient Balance", "unknown_error");
    case 422:
      return error("Invalid Parameters");
    case 429:
      return error("Rate Limit Reached", "rate_limit_error");
    case 503:
      return error(
        "Server Overloaded: the server is overloaded due to high traffic, please retry later",
        "server_error",
      );
    default:
      return status >= 500 ? error("Server Error", "server_error") : error(`mock error ${status}`);
  }
}

/**
 * The 400 of providers.md §5.6: in thinking mode, an assistant turn that made tool calls
 * must carry its `reasoning_content` in every later request.
 */
function checkReasoningPassback(body: ChatBody): MockError | undefined {
  if (!thinkingEnabled(body)) return undefined;
  for (const message of body.messages as ChatBody[]) {
    const calls = message.tool_calls;
    if (message.role !== "assistant" || !Array.isArray(calls) || calls.length === 0) continue;
    if (typeof message.reasoning_content !== "string") {
      return { status: 400, message: REASONING_PASSBACK_MESSAGE, code: "invalid_request_error" };
    }
  }
  return undefined;
}

/**
 * DeepSeek's chat models read text only: the body's content parts deserialize into text
 * parts, so an image part is refused as an unknown variant before anything runs.
 */
const DEEPSEEK_IMAGES: ChatImageRules = {
  vision: () => false,
  mediaTypes: [],
  maxBytes: 0,
  noVision: (_model, param) => ({
    status: 400,
    message: `Failed to deserialize the JSON body into the target type: ${param.replace(/\.image_url$/, "")}: unknown variant \`image_url\`, expected \`text\``,
    code: "invalid_request_error",
  }),
  invalid: (message) => ({ status: 400, message }),
};

/**
 * DeepSeek's OpenAI-format endpoint (providers.md §5): `thinking` + `reasoning_effort`;
 * `reasoning_content` deltas then content; usage (with `prompt_cache_hit_tokens`) on the
 * chunk that carries `finish_reason`; `: keep-alive` comments before a stream and blank
 * lines before a JSON body, as under load.
 */
export const DEEPSEEK_DIALECT: ChatMockDialect = {
  name: "deepseek",
  paths: ["/chat/completions", "/v1/chat/completions"],
  requireAuth: true,
  models: DEEPSEEK_MOCK_MODELS,
  images: DEEPSEEK_IMAGES,
  unknownModel: () => ({ status: 400, message: "Model Not Exist", code: "invalid_request_error" }),
  validate(body) {
    const thinking = body.thinking;
    if (thinking !== undefined) {
      const type = obj(body, "thinking")?.type;
      if (type !== "enabled" && type !== "disabled") {
        return {
          status: 422,
          message: "Invalid Parameters: thinking.type must be enabled or disabled",
          param: "thinking",
        };
      }
    }
    const effort = body.reasoning_effort;
    if (effort !== undefined && (typeof effort !== "string" || EFFORT_LEVELS[effort] === undefined)) {
      return {
        status: 422,
        message: `Invalid Parameters: unknown reasoning_effort ${JSON.stringify(effort)}`,
        param: "reasoning_effort",
      };
    }
    return checkReasoningPassback(body);
  },
  plan(body) {
    if (!thinkingEnabled(body)) return { tokens: 0, show: true };
    const level = EFFORT_LEVELS[str(body, "reasoning_effort") ?? "high"] ?? "high";
    return { tokens: EFFORT_TOKENS[level] ?? 32, show: true };
  },
  reasoningMessage: (text) => ({ reasoning_content: text }),
  reasoningDelta: (token) => ({ content: null, reasoning_content: token }),
  answerDeltaExtras: { reasoning_content: null },
  firstDelta: { role: "assistant", content: null, reasoning_content: "" },
  usage: (counts) => {
    const completion = counts.reasoning + counts.answer;
    return {
      prompt_tokens: counts.prompt,
      completion_tokens: completion,
      total_tokens: counts.prompt + completion,
      prompt_tokens_details: { cached_tokens: counts.cached },
      completion_tokens_details: { reasoning_tokens: counts.reasoning },
      prompt_cache_hit_tokens: counts.cached,
      prompt_cache_miss_tokens: counts.prompt - counts.cached,
    };
  },
  usagePlacement: "finish-chunk",
  errorBody: openAIErrorBody,
  faultError: deepseekFault,
  // Not documented: an in-stream failure is assumed to use the same body as the HTTP error.
  midStreamError: () => openAIErrorBody(deepseekFault(503)),
  keepAlive: ": keep-alive",
  jsonPreamble: "\n\n",
  chunkExtras: { usage: null },
  responseExtras: () => ({ system_fingerprint: "fp_mock_deepseek" }),
  id: (n) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
};

export interface DeepSeekMockOptions extends ChatMockOptions {}

/** The SDK's base URL is the mock's url itself (DeepSeek serves `/chat/completions` and `/v1/chat/completions`). */
export function startDeepSeekMock(options: DeepSeekMockOptions = {}): Promise<MockServer> {
  return startChatMock(DEEPSEEK_DIALECT, { keepAlives: 2, ...options });
}
