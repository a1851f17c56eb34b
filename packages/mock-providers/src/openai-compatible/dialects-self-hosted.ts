import {
  type ChatBody,
  type ChatMockDialect,
  type MockError,
  obj,
  openAIErrorBody,
  openAIFault,
  str,
} from "./chat-dialect.ts";
import { EFFORT_TOKENS } from "./chat-script.ts";

/** Reasoning tokens a self-hosted model spends when nothing controls its depth. */
const TEMPLATE_REASONING_TOKENS = 20;

const chatcmplId = (n: number) => `chatcmpl-${String(n).padStart(8, "0")}`;

/** vLLM and SGLang answer errors flat: `{object: "error", message, type, param, code}`. */
function flatError(error: MockError): unknown {
  const type = error.status === 404 ? "NotFoundError" : error.status >= 500 ? "InternalServerError" : "BadRequestError";
  return {
    object: "error",
    message: error.message,
    type: error.type ?? type,
    param: error.param ?? null,
    code: error.status,
  };
}

function thinkingOff(body: ChatBody): boolean {
  const kwargs = obj(body, "chat_template_kwargs");
  return kwargs?.enable_thinking === false || kwargs?.thinking === false;
}

/** Usage of servers that count no reasoning: completion includes it, no breakdown. */
function plainUsage(counts: { prompt: number; reasoning: number; answer: number }): Record<string, unknown> {
  const completion = counts.reasoning + counts.answer;
  return { prompt_tokens: counts.prompt, completion_tokens: completion, total_tokens: counts.prompt + completion };
}

/**
 * vLLM with `--reasoning-parser` (providers.md §6.3): reasoning in `reasoning` (older
 * servers: `reasoning_content`, pass `field`), toggled by `chat_template_kwargs`; no
 * reasoning count in usage; usage chunk only with `stream_options.include_usage`.
 */
export function vllmDialect(
  options: { field?: "reasoning" | "reasoning_content"; models?: string[] } = {},
): ChatMockDialect {
  const field = options.field ?? "reasoning";
  return {
    name: "vllm",
    paths: ["/v1/chat/completions"],
    requireAuth: false,
    models: options.models ?? ["Qwen/Qwen3-8B"],
    unknownModel: (model) => ({ status: 404, message: `The model \`${model}\` does not exist.` }),
    validate: () => undefined,
    plan: (body) => ({ tokens: thinkingOff(body) ? 0 : TEMPLATE_REASONING_TOKENS, show: true }),
    reasoningMessage: (text) => ({ [field]: text }),
    reasoningDelta: (token) => ({ [field]: token }),
    firstDelta: { role: "assistant", content: "" },
    usage: (counts) => ({ ...plainUsage(counts), prompt_tokens_details: null }),
    usagePlacement: "usage-chunk-if-requested",
    errorBody: flatError,
    faultError: openAIFault,
    midStreamError: () => ({
      error: {
        object: "error",
        message: "The engine is overloaded",
        type: "InternalServerError",
        param: null,
        code: 503,
      },
    }),
    id: chatcmplId,
  };
}

/**
 * SGLang with `--reasoning-parser` (providers.md §6.4): `reasoning_content`; with
 * `separate_reasoning: false` the thinking stays inline in `content` as `<think>…</think>`.
 */
export const SGLANG_DIALECT: ChatMockDialect = {
  name: "sglang",
  paths: ["/v1/chat/completions"],
  requireAuth: false,
  models: ["Qwen/Qwen3-8B"],
  unknownModel: (model) => ({ status: 404, message: `The model \`${model}\` does not exist.` }),
  validate(body) {
    if (body.separate_reasoning !== undefined && typeof body.separate_reasoning !== "boolean") {
      return { status: 400, message: "separate_reasoning must be a boolean", param: "separate_reasoning" };
    }
    return undefined;
  },
  plan: (body) => ({ tokens: thinkingOff(body) ? 0 : TEMPLATE_REASONING_TOKENS, show: true }),
  reasoningMessage: (text, body) =>
    body.separate_reasoning === false ? { content: `<think>${text}</think>` } : { reasoning_content: text },
  reasoningDelta: (token, _position, body) =>
    body.separate_reasoning === false ? { content: token } : { reasoning_content: token },
  firstDelta: { role: "assistant", content: "" },
  usage: (counts) => ({ ...plainUsage(counts), prompt_tokens_details: null }),
  usagePlacement: "usage-chunk-if-requested",
  errorBody: flatError,
  faultError: openAIFault,
  midStreamError: () => ({
    error: {
      object: "error",
      message: "The server is overloaded",
      type: "InternalServerError",
      param: null,
      code: 503,
    },
  }),
  id: chatcmplId,
};

const OLLAMA_EFFORTS = ["high", "medium", "low", "none"];

/**
 * Ollama's OpenAI-compatible `/v1` (providers.md §6.5, ollama/ollama openai/openai.go):
 * `reasoning_effort` or `reasoning: {effort}` in high|medium|low|none, anything else a
 * 400; reasoning in `reasoning`; usage only prompt/completion/total.
 */
export function ollamaDialect(options: { models?: string[] } = {}): ChatMockDialect {
  return {
    name: "ollama",
    paths: ["/v1/chat/completions"],
    requireAuth: false,
    models: options.models ?? ["qwen3", "gpt-oss:20b"],
    unknownModel: (model) => ({
      status: 404,
      message: `model "${model}" not found, try pulling it first`,
      type: "not_found_error",
    }),
    validate(body) {
      const effort = body.reasoning_effort ?? obj(body, "reasoning")?.effort;
      if (effort !== undefined && (typeof effort !== "string" || !OLLAMA_EFFORTS.includes(effort))) {
        return {
          status: 400,
          message: `invalid reasoning value: '${String(effort)}' (must be "high", "medium", "low", or "none")`,
        };
      }
      return undefined;
    },
    plan(body) {
      const effort = str(body, "reasoning_effort") ?? str(obj(body, "reasoning") ?? {}, "effort") ?? "medium";
      return { tokens: EFFORT_TOKENS[effort] ?? 16, show: true };
    },
    reasoningMessage: (text) => ({ reasoning: text }),
    reasoningDelta: (token) => ({ reasoning: token }),
    firstDelta: { role: "assistant", content: "" },
    usage: (counts) => plainUsage(counts),
    usagePlacement: "usage-chunk-if-requested",
    errorBody: (error) =>
      openAIErrorBody({ ...error, type: error.type ?? (error.status >= 500 ? "api_error" : "invalid_request_error") }),
    faultError: openAIFault,
    midStreamError: () => ({
      error: { message: "server overloaded, please retry", type: "api_error", param: null, code: null },
    }),
    id: (n) => `chatcmpl-${n}`,
  };
}
