/**
 * A provider exchange made elsewhere (`POST /v1/logs`), normalised by the same adapters'
 * response mapping that run jobs use (`ProviderAdapter.mapResponse` + `ResultAssembler`).
 * The job planner prices it and makes it a finished job (`planLoggedJob`).
 *
 * Format detection, from the response's shape (a named `format` must agree with it):
 *
 * | response                                                         | format             |
 * | ---------------------------------------------------------------- | ------------------ |
 * | `object: "response"`                                             | `openai-responses` |
 * | `type: "message"` with `content[]`                               | `anthropic`        |
 * | `candidates[]` or `usageMetadata`                                | `gemini`           |
 * | chat completion (`object: "chat.completion"`, or `choices[]`) …  |                    |
 * |   … whose message carries `thinking_blocks`                      | `gateway`          |
 * |   … of a DeepSeek model                                          | `deepseek`         |
 * |   … with `reasoning_content`/`reasoning` for an OpenAI, Anthropic, |                  |
 * |     Google or sim model (their own APIs never send those fields) | `gateway`          |
 * |   … otherwise                                                    | `openai-chat`      |
 *
 * Which adapter maps it: `anthropic` → anthropic, `gemini` → google, `openai-responses` →
 * openai, `deepseek` → deepseek; `openai-chat` → the model's own family when that family
 * speaks Chat Completions natively (openai, deepseek, xai, openrouter, vllm, custom
 * providers…, so each vendor's usage convention applies), else openai's (an Anthropic or
 * Gemini model behind an OpenAI-compatible endpoint).
 *
 * The gateway shape (LiteLLM's, and reasonq's own `/v1/chat/completions`) is mapped by the
 * OpenAI-compatible adapter with a gateway profile: `reasoning_content` (or `reasoning`)
 * is the reasoning text and usage follows OpenAI's convention (`completion_tokens`
 * includes reasoning). No adapter dialect reads `thinking_blocks`; they are already in
 * reasonq's own block form, so each is checked against `ThinkingBlockSchema` and passed
 * to the assembler verbatim as a `thinking-block` event — nothing is re-parsed.
 */
import {
  type LogFormat,
  type LogRequest,
  type ProviderEvent,
  ReasonqError,
  requestErrorFrom,
  ThinkingBlockSchema,
  type Warning,
} from "@reasonq/core";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import type { Catalog } from "../catalog/resolve-model.ts";
import { createOpenAICompatibleAdapter } from "../openai-compatible/openai-compatible-adapter.ts";
import type { OpenAICompatibleProfile } from "../openai-compatible/openai-compatible-profiles.ts";
import type { AdapterRegistry } from "../registry.ts";
import { type AssembledResult, ResultAssembler } from "../shared/assemble-result.ts";
import { chatMessage, checkShape, formatOf, type Json } from "./detect-log-format.ts";
import { resolveLogModel } from "./resolve-log-model.ts";

/** What a logged exchange says, in reasonq's terms: its format, model and assembled result. */
export interface LoggedExchange {
  format: LogFormat;
  model: ModelInfo;
  /** How the model was found, and what the response mapping adapted. */
  warnings: Warning[];
  result: AssembledResult;
}

/** Families whose own API is not Chat Completions: a chat body naming their model came through something else. */
const NOT_CHAT_NATIVE = new Set(["openai", "anthropic", "google", "sim"]);

/** Data only: this profile never calls anything, only its response mapping is used. */
const GATEWAY_PROFILE: OpenAICompatibleProfile = {
  family: "gateway",
  label: "gateway",
  baseUrl: "http://gateway.invalid/v1",
  apiKeyEnv: "GATEWAY_API_KEY",
  requiresApiKey: false,
  reasoningRequest: { type: "none" },
  reasoningFields: ["reasoning_content", "reasoning"],
  usageConvention: "includes_reasoning",
};
const gatewayAdapter = createOpenAICompatibleAdapter({}, { profile: GATEWAY_PROFILE });

function mappingAdapter(adapters: AdapterRegistry, format: LogFormat, model: ModelInfo): ProviderAdapter {
  switch (format) {
    case "anthropic":
      return adapters.get("anthropic");
    case "gemini":
      return adapters.get("google");
    case "openai-responses":
      return adapters.get("openai");
    case "deepseek":
      return adapters.get("deepseek");
    case "gateway":
      return gatewayAdapter;
    case "openai-chat":
      return adapters.get(NOT_CHAT_NATIVE.has(model.provider) ? "openai" : model.provider);
  }
}

/** Whatever the mapping refuses is the caller's response at fault: a 400 naming it. */
function asResponseError(error: unknown, format: LogFormat): ReasonqError {
  if (ReasonqError.is(error) && (error.type === "invalid_request" || error.type === "unknown_model")) {
    const field = error.field?.startsWith("response") === true ? error.field : "response";
    return new ReasonqError("invalid_request", error.message, { field });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ReasonqError("invalid_request", `the response is not a completed ${format} exchange: ${reason}`, {
    field: "response",
  });
}

/** The gateway shape's `thinking_blocks`, checked and passed on verbatim. */
function gatewayBlocks(response: Json): ProviderEvent[] {
  const blocks = chatMessage(response)?.thinking_blocks;
  if (blocks === undefined || blocks === null) return [];
  const field = "response.choices.0.message.thinking_blocks";
  if (!Array.isArray(blocks)) throw new ReasonqError("invalid_request", `${field} must be an array`, { field });
  return blocks.map((block, i) => {
    const parsed = ThinkingBlockSchema.safeParse(block);
    if (!parsed.success) throw requestErrorFrom(parsed.error, `${field}.${i}`);
    return { type: "thinking-block", block: parsed.data };
  });
}

function mapEvents(
  adapter: ProviderAdapter,
  format: LogFormat,
  log: Pick<LogRequest, "response">,
  model: ModelInfo,
): ProviderEvent[] {
  if (adapter.mapResponse === undefined) {
    throw new ReasonqError("unsupported_parameter", `the ${adapter.family} adapter cannot read a logged response`, {
      field: "format",
    });
  }
  let events: ProviderEvent[];
  try {
    events = adapter.mapResponse(log.response, model);
  } catch (error) {
    throw asResponseError(error, format);
  }
  if (format !== "gateway") return events;
  const blocks = gatewayBlocks(log.response);
  const tail = events.findIndex((e) => e.type === "usage" || e.type === "finish");
  return tail < 0 ? [...events, ...blocks] : [...events.slice(0, tail), ...blocks, ...events.slice(tail)];
}

/**
 * A provider exchange made elsewhere → the result its adapter's response mapping gives,
 * assembled as a run job's stream would be. Refuses (400) what is not a completed
 * exchange of a known format on a catalog model.
 */
export function normaliseLoggedExchange(
  log: Pick<LogRequest, "request" | "response" | "format" | "provider" | "model">,
  catalog: Catalog,
  adapters: AdapterRegistry,
): LoggedExchange {
  const shape = checkShape(log.response, log.format);
  const { model, warnings } = resolveLogModel(catalog, log);
  const format = formatOf(log.response, log.format, shape, model.provider);
  const assembler = new ResultAssembler(model, { include: true });
  for (const event of mapEvents(mappingAdapter(adapters, format, model), format, log, model)) {
    assembler.push(event);
  }
  if (!assembler.finished) {
    throw new ReasonqError("invalid_request", "the response has no finish: it is not a completed exchange", {
      field: "response",
    });
  }
  const result = assembler.result();
  return { format, model, warnings: [...warnings, ...result.warnings], result };
}
