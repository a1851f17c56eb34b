/**
 * `POST /v1/logs`: a provider exchange made elsewhere, normalised by the same adapters'
 * response mapping that run jobs use (`ProviderAdapter.mapResponse` + `ResultAssembler`),
 * priced at the call's time, and stored as a finished job with `source: "logged"`.
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
import { type PriceCatalog, type PricedUsage, priceUsage } from "@reasonq/billing";
import {
  type IncompleteReason,
  type JobSpec,
  MetadataSchema,
  newId,
  type ProviderEvent,
  ReasonqError,
  ThinkingBlockSchema,
  type Usage,
  UsageSchema,
  type Warning,
} from "@reasonq/core";
import {
  type AdapterRegistry,
  type Catalog,
  createOpenAICompatibleAdapter,
  type ModelInfo,
  type OpenAICompatibleProfile,
  type ProviderAdapter,
  ResultAssembler,
} from "@reasonq/providers";
import type { JobRow, NewLoggedJob, Store } from "@reasonq/store";
import { type ZodError, z } from "zod";
import { fromConversation } from "./log-conversation.ts";

export const LOG_FORMATS = ["openai-chat", "openai-responses", "anthropic", "gemini", "deepseek", "gateway"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const Timestamp = z.iso.datetime({ offset: true });

/** One logged exchange. Unknown fields are refused, not dropped. */
export const LogRequestSchema = z
  .strictObject({
    request: z.record(z.string(), z.unknown()),
    response: z.record(z.string(), z.unknown()),
    format: z.enum(LOG_FORMATS).optional(),
    /** Narrows the model lookup (`<provider>/<model>` first) and must agree with the model found. */
    provider: z.string().min(1).max(100).optional(),
    /** A catalog model, when neither the response nor the request names one the catalog knows. */
    model: z.string().min(1).max(200).optional(),
    started_at: Timestamp.optional(),
    completed_at: Timestamp.optional(),
    metadata: MetadataSchema.optional(),
  })
  .meta({ id: "LogRequest" });
export type LogRequest = z.output<typeof LogRequestSchema>;

export interface IngestDeps {
  catalog: Catalog;
  adapters: AdapterRegistry;
  prices: PriceCatalog;
}

/** A logged exchange, normalised and priced, ready to store. */
export interface PreparedLog {
  format: LogFormat;
  job: NewLoggedJob;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** Families whose own API is not Chat Completions: a chat body naming their model came through something else. */
const NOT_CHAT_NATIVE = new Set(["openai", "anthropic", "google", "sim"]);
/** Families whose own API never returns reasoning text on a chat message. */
const SILENT_ON_CHAT = new Set(["openai", "anthropic", "google", "sim"]);

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

/** A zod failure as one `invalid_request` naming the first bad field. */
export function toRequestError(error: ZodError, prefix = ""): ReasonqError {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String);
  if (issue?.code === "unrecognized_keys" && issue.keys.length > 0) {
    const field = [prefix, ...path, issue.keys[0]].filter((p) => p !== "").join(".");
    return new ReasonqError("invalid_request", `unknown field (not part of the API): ${issue.keys.join(", ")}`, {
      field,
    });
  }
  const field = [prefix, ...path].filter((p) => p !== "").join(".");
  const message = issue?.message ?? "invalid request";
  return new ReasonqError("invalid_request", field === "" ? message : `${field}: ${message}`, {
    ...(field === "" ? {} : { field }),
  });
}

export function parseLogRequest(input: unknown): LogRequest {
  const parsed = LogRequestSchema.safeParse(fromConversation(input));
  if (!parsed.success) throw toRequestError(parsed.error);
  return parsed.data;
}

/** Which wire shape the response has, before the model is known; undefined when none fits. */
function shapeOf(response: Json): "chat" | "openai-responses" | "anthropic" | "gemini" | undefined {
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

function chatMessage(response: Json): Json | undefined {
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

interface ModelCandidate {
  name: string;
  field: string;
}

/** `o4-mini-2025-04-16` → `o4-mini`: OpenAI reports the dated snapshot it served. */
const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

function modelCandidates(log: LogRequest): ModelCandidate[] {
  // A model named by the caller is authoritative: nothing else is tried.
  if (log.model !== undefined) return [{ name: log.model, field: "model" }];
  const out: ModelCandidate[] = [];
  const responseField = str(log.response.model) !== undefined ? "model" : "modelVersion";
  const named = str(log.response[responseField]);
  if (named !== undefined) {
    const field = `response.${responseField}`;
    out.push({ name: named, field });
    // The snapshot is priced as its alias; not a change worth a warning.
    if (DATED_SNAPSHOT.test(named)) out.push({ name: named.replace(DATED_SNAPSHOT, ""), field });
  }
  const requested = str(log.request.model);
  if (requested !== undefined) out.push({ name: requested, field: "request.model" });
  return out;
}

/**
 * The catalog entry the exchange ran on. A logged call really ran on the model it names,
 * so a retired name stays itself here (a run job would move to the replacement).
 */
function lookup(catalog: Catalog, name: string): ModelInfo | undefined {
  try {
    const { model, warnings } = catalog.resolve(name);
    if (warnings.length === 0) return model;
    const trimmed = name.trim();
    return catalog.list().find((m) => m.id === trimmed || m.aliases.includes(trimmed)) ?? model;
  } catch (error) {
    if (ReasonqError.is(error) && error.type === "unknown_model") return undefined;
    throw error;
  }
}

function resolveLogModel(catalog: Catalog, log: LogRequest): { model: ModelInfo; warnings: Warning[] } {
  const candidates = modelCandidates(log);
  const first = candidates[0];
  if (first === undefined) {
    throw new ReasonqError("invalid_request", "neither the response nor the request names a model: give `model`", {
      field: "model",
    });
  }
  const provider = log.provider;
  for (const candidate of candidates) {
    const names =
      provider === undefined || candidate.name.startsWith(`${provider}/`)
        ? [candidate.name]
        : [`${provider}/${candidate.name}`, candidate.name];
    for (const name of names) {
      const model = lookup(catalog, name);
      if (model === undefined) continue;
      if (provider !== undefined && model.provider !== provider) {
        throw new ReasonqError(
          "invalid_request",
          `${candidate.field} "${candidate.name}" is ${model.id}, a ${model.provider} model, not a ${provider} one`,
          { field: "provider" },
        );
      }
      const warnings: Warning[] =
        candidate.field === first.field
          ? []
          : [
              {
                type: "adapted",
                field: first.field,
                message: `"${first.name}" is not in the catalog; the exchange is recorded as ${model.id} (from ${candidate.field})`,
              },
            ];
      return { model, warnings };
    }
  }
  throw new ReasonqError(
    "unknown_model",
    `unknown model "${first.name}" (${first.field}); name a catalog model in \`model\` (GET /v1/models lists them)`,
    { field: first.field },
  );
}

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
    if (!parsed.success) throw toRequestError(parsed.error, `${field}.${i}`);
    return { type: "thinking-block", block: parsed.data };
  });
}

function mapEvents(adapter: ProviderAdapter, format: LogFormat, log: LogRequest, model: ModelInfo): ProviderEvent[] {
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

/** As a run job: `length` with an empty answer means reasoning ate the budget. */
function incompleteReason(finish: string, answer: string): IncompleteReason | null {
  if (finish === "content_filter") return "content_filter";
  if (finish === "length" && answer.trim() === "") return "max_output_tokens";
  return null;
}

/** Priced as a run job's attempt (`priceUsage`); usage that cannot be priced is the response's fault. */
function price(prices: PriceCatalog, model: ModelInfo, at: Date, usage: Usage): PricedUsage {
  try {
    return priceUsage(model.id, at, usage, prices);
  } catch (error) {
    if (!ReasonqError.is(error) || error.type !== "internal_error") throw error;
    throw new ReasonqError("invalid_request", `the response's usage cannot be priced: ${error.message}`, {
      field: "response.usage",
    });
  }
}

function timesOf(log: LogRequest, now: Date): { started: Date; completed: Date } {
  const started = log.started_at === undefined ? undefined : new Date(log.started_at);
  const completed = log.completed_at === undefined ? undefined : new Date(log.completed_at);
  if (started !== undefined && completed !== undefined && started > completed) {
    throw new ReasonqError("invalid_request", "started_at is after completed_at", { field: "started_at" });
  }
  return { started: started ?? completed ?? now, completed: completed ?? started ?? now };
}

/**
 * Validates, normalises and prices one exchange without touching the database, so a bulk
 * import can prepare lines one by one and store them in chunks.
 */
export function prepareLog(deps: IngestDeps, apiKeyId: string, input: unknown, now = new Date()): PreparedLog {
  const log = parseLogRequest(input);
  const { started, completed } = timesOf(log, now);
  const shape = shapeOf(log.response);
  if (log.format !== undefined && shape !== undefined && shapeOfFormat(log.format) !== shape) {
    throw new ReasonqError(
      "invalid_request",
      `format "${log.format}" does not fit the response, which is ${SHAPE_NAMES[shape]}`,
      { field: "format" },
    );
  }
  if (log.format === undefined && shape === undefined) {
    throw new ReasonqError(
      "invalid_request",
      `the response's format is not recognised; name it in \`format\` (${LOG_FORMATS.join(", ")})`,
      { field: "response" },
    );
  }
  const { model, warnings: modelWarnings } = resolveLogModel(deps.catalog, log);
  const format = log.format ?? (shape === "chat" ? chatFormat(log.response, model.provider) : (shape as LogFormat));

  const assembler = new ResultAssembler(model, { include: true });
  for (const event of mapEvents(mappingAdapter(deps.adapters, format, model), format, log, model)) {
    assembler.push(event);
  }
  if (!assembler.finished) {
    throw new ReasonqError("invalid_request", "the response has no finish: it is not a completed exchange", {
      field: "response",
    });
  }
  const result = assembler.result();
  const warnings = [...modelWarnings, ...result.warnings];
  let usage: Usage | null = null;
  let priced: PricedUsage = { cost: null, snapshot: null };
  if (result.usage === null) {
    warnings.push({
      type: "unsupported",
      field: "response.usage",
      message: "the response reports no usage: its tokens and cost are unknown",
    });
  } else {
    const checked = UsageSchema.safeParse(result.usage);
    if (!checked.success) {
      throw new ReasonqError("invalid_request", "the response's usage does not add up to whole token counts", {
        field: "response.usage",
      });
    }
    usage = checked.data;
    priced = price(deps.prices, model, started, usage);
    if (priced.warning !== undefined) warnings.push(priced.warning);
  }

  const metadata = log.metadata ?? {};
  const spec: JobSpec = {
    model: model.id,
    messages: [],
    reasoning: { include: true, enabled: true },
    sampling: {},
    metadata,
  };
  const output = result.output;
  return {
    format,
    job: {
      id: newId("job", now.getTime()),
      api_key_id: apiKeyId,
      model: model.id,
      provider: model.provider,
      status: incompleteReason(output.finish_reason, output.answer) === null ? "succeeded" : "incomplete",
      spec,
      resolved_params: log.request,
      metadata,
      warnings,
      output,
      usage,
      cost: priced.cost,
      price_snapshot: priced.snapshot,
      incomplete_reason: incompleteReason(output.finish_reason, output.answer),
      started_at: started,
      completed_at: completed,
      raw_usage: result.reported?.raw,
    },
  };
}

/** One exchange, stored once per provider response id: `created: false` is the earlier job. */
export async function ingestLog(
  deps: IngestDeps & { store: Store },
  apiKeyId: string,
  input: unknown,
): Promise<{ job: JobRow; created: boolean; format: LogFormat }> {
  const prepared = prepareLog(deps, apiKeyId, input);
  const { job, created } = await deps.store.logged.insert(prepared.job);
  return { job, created, format: prepared.format };
}
