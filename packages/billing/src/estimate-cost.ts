import { createRequire } from "node:module";
import type { Tool, UnitPrices } from "@reasonq/core";
import { maxMoney, money, toDecimalString, tokensCost } from "./money.ts";
import { type PriceCatalog, priceCatalog } from "./price-catalog.ts";
import { type ExtrasMessage, promptExtras } from "./prompt-extras.ts";

let loaded: typeof import("gpt-tokenizer") | undefined;
/**
 * gpt-tokenizer, loaded when first used: building its tables costs about 0.4 s of CPU,
 * which every process importing billing paid at start, though only a capped key's submit
 * (or a budgeted batch) counts tokens.
 */
function tokenizer(): typeof import("gpt-tokenizer") {
  loaded ??= createRequire(import.meta.url)("gpt-tokenizer") as typeof import("gpt-tokenizer");
  return loaded;
}

/**
 * How much the tokenizer count is padded. gpt-tokenizer is OpenAI's `o200k_base`, exact
 * for OpenAI's current models up to the chat framing, so OpenAI gets 10%. Other providers
 * tokenize differently (Claude's and Gemini's tokenizers often count a fifth to a third more
 * tokens for the same text), so their count is an approximation padded by 35%.
 */
export const INPUT_SAFETY_MARGIN: Readonly<Record<string, string>> = { openai: "1.1" };
export const DEFAULT_INPUT_SAFETY_MARGIN = "1.35";
/** Chat framing per message and for the reply's priming, as OpenAI documents it for its chat format. */
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REPLY = 3;

export interface EstimateRequest {
  modelId: string;
  /** The prompt, system messages included: its text, images and earlier tool calls. */
  messages: ReadonlyArray<{ role: string; content: string } & ExtrasMessage>;
  /** Tool definitions sent with the prompt. */
  tools?: readonly Tool[];
  maxOutputTokens: number;
  /** When the job is submitted: the price list in force then is used. */
  at: Date;
  /** The request goes through the provider's batch API. */
  providerBatch?: boolean;
  catalog?: PriceCatalog;
  /**
   * How text is counted. `tokenizer` (the default) runs gpt-tokenizer; `utf8_bytes` counts
   * UTF-8 bytes, a bound no byte-level tokenizer's count exceeds (every token covers at least
   * one byte), far cheaper and looser: for a job no cost limit applies to, whose maximum only
   * reserves room should its key get a cap while it runs.
   */
  countWith?: "tokenizer" | "utf8_bytes";
}

export interface CostEstimate {
  modelId: string;
  /** The padded input count the maximum is computed with. */
  inputTokens: number;
  /** What the tokenizer counted (text, framing, tool definitions and calls), before the safety margin. */
  countedInputTokens: number;
  /** Images in the prompt, each counted at its family's per-image estimate (`IMAGE_INPUT_TOKENS`), unpadded. */
  images: number;
  maxOutputTokens: number;
  /** The most the job can cost, in USD, as an exact decimal string. */
  maxCost: string;
  /** The prices the maximum was computed with (the highest of the day where prices depend on the hour). */
  unit_prices_per_million: UnitPrices;
  price_source: string;
}

/** The tokenizer's count of the prompt with its chat framing; special-token text counts as plain text. */
export function countInputTokens(messages: EstimateRequest["messages"], count = tokenizerCount): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) total += TOKENS_PER_MESSAGE + count(message.content);
  return total;
}

function tokenizerCount(text: string): number {
  return tokenizer().countTokens(text, { disallowedSpecial: new Set() });
}

function byteCount(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The tokens a call may consume at most: its prompt as `estimateMaxCost` bounds it, and its output budget. */
interface TokenEstimate {
  /** The padded input count, images included. */
  inputTokens: number;
  countedInputTokens: number;
  images: number;
  maxOutputTokens: number;
}

/**
 * The prompt counted with a tokenizer (or by bytes) and padded by the family's safety
 * margin, tool definitions and earlier tool calls as their JSON text, each image at its
 * family's per-image tokens; and the output budget. What the maximum cost is computed
 * from, and what a tokens-per-minute limit reserves.
 */
export function estimateMaxTokens(
  request: Pick<EstimateRequest, "modelId" | "messages" | "tools" | "maxOutputTokens" | "countWith">,
): TokenEstimate {
  const { modelId, maxOutputTokens } = request;
  if (!Number.isSafeInteger(maxOutputTokens) || maxOutputTokens < 0) {
    throw new RangeError(`maxOutputTokens must be a non-negative integer: ${maxOutputTokens}`);
  }
  const family = modelId.slice(0, Math.max(0, modelId.indexOf("/")));
  const extras = promptExtras(family, request.messages, request.tools);
  const count = request.countWith === "utf8_bytes" ? byteCount : tokenizerCount;
  const counted = countInputTokens(request.messages, count) + extras.text.reduce((n, text) => n + count(text), 0);
  const margin = money(INPUT_SAFETY_MARGIN[family] ?? DEFAULT_INPUT_SAFETY_MARGIN);
  const inputTokens = money(String(counted)).times(margin).ceil().toNumber() + extras.fixedTokens;
  return { inputTokens, countedInputTokens: counted, images: extras.images, maxOutputTokens };
}

/**
 * The pre-flight maximum cost of a job: the prompt counted with a tokenizer and padded by
 * the safety margin (tool definitions and earlier tool calls as their JSON text), plus each
 * image at its family's documented per-image tokens, billed at the highest input-side price (a prompt may be written to the
 * cache, which some providers bill above input), plus `maxOutputTokens` at the output price,
 * or the reasoning price when that is higher. The real cost is computed later from the
 * provider's own usage; this only bounds it.
 */
export function estimateMaxCost(request: EstimateRequest): CostEstimate {
  const { modelId, maxOutputTokens } = request;
  const { inputTokens, countedInputTokens, images } = estimateMaxTokens(request);
  const catalog = request.catalog ?? priceCatalog;
  const snapshot = catalog.maxSnapshotFor(modelId, request.at, {
    inputTokens,
    ...(request.providerBatch === undefined ? {} : { providerBatch: request.providerBatch }),
  });
  const p = snapshot.unit_prices_per_million;
  const inputPrice = [p.cached_input, p.cache_write].map(money).reduce(maxMoney, money(p.input));
  const outputPrice = maxMoney(money(p.output), money(p.reasoning ?? p.output));
  const maxCost = tokensCost(inputTokens, toDecimalString(inputPrice)).plus(
    tokensCost(maxOutputTokens, toDecimalString(outputPrice)),
  );
  return {
    modelId,
    inputTokens,
    countedInputTokens,
    images,
    maxOutputTokens,
    maxCost: toDecimalString(maxCost),
    unit_prices_per_million: p,
    price_source: snapshot.price_source,
  };
}
