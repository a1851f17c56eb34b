import { calcPrice, type MatchLogic, type ModelInfo, type ModelPrice, type Provider } from "@pydantic/genai-prices";
import type { UnitPrices } from "@reasonq/core";
import { decimalFromNumber } from "../money.ts";
import type { PriceEntry, PriceTier } from "./price-entry.ts";

/**
 * The maintained price database reasonq builds on: `@pydantic/genai-prices`, read from the
 * data bundled in the installed package only. reasonq never calls its `updatePrices`, so
 * nothing is fetched at run time and a price changes only when this pinned version does.
 * Only unit prices are taken from it: its own totals are JavaScript floats.
 */
export const LIBRARY_NAME = "@pydantic/genai-prices";
/** The version whose data the tests were reviewed against; a test fails when the installed one differs. */
export const LIBRARY_VERSION = "0.1.8";
/** When that version, and so its data, was published to the npm registry. */
export const LIBRARY_DATA_DATE = "2026-09-23";

/** reasonq provider family → the library's provider id. Families not listed are priced by overrides only. */
const LIBRARY_PROVIDERS: Readonly<Record<string, string>> = {
  openai: "openai",
  anthropic: "anthropic",
  google: "google",
  xai: "x-ai",
  openrouter: "openrouter",
};

/**
 * Families whose library data reasonq does not use: DeepSeek's time-of-day prices need
 * weekday rules and exact change instants the library cannot express (see
 * `deepseek-prices.ts`), and a reasonq price must never silently fall back to them.
 */
const OVERRIDE_ONLY = new Set(["deepseek", "sim", "theagentic"]);

/** Before the library's first dated change a model's first price has no start: it is in force from the beginning. */
export const FROM_THE_START = "1970-01-01";

type LibraryPrice = number | { base: number; tiers: ReadonlyArray<{ start: number; price: number }> } | undefined;

function splitModelId(modelId: string): { family: string; name: string } | undefined {
  const slash = modelId.indexOf("/");
  if (slash <= 0 || slash === modelId.length - 1) return undefined;
  return { family: modelId.slice(0, slash), name: modelId.slice(slash + 1) };
}

/** The library's record for a reasonq model id, matched by the library's own rules (aliases, dated snapshots). */
export function libraryModel(modelId: string): { provider: Provider; model: ModelInfo } | undefined {
  const parts = splitModelId(modelId);
  if (parts === undefined || OVERRIDE_ONLY.has(parts.family)) return undefined;
  const providerId = LIBRARY_PROVIDERS[parts.family];
  if (providerId === undefined) return undefined;
  let found: ReturnType<typeof calcPrice>;
  try {
    found = calcPrice({ input_tokens: 0, output_tokens: 0 }, parts.name, { providerId, timestamp: new Date(0) });
  } catch {
    return undefined;
  }
  if (found === null || found.provider.id !== providerId) return undefined;
  if (!isCloseMatch(parts.name, found.model)) return undefined;
  return { provider: found.provider, model: found.model };
}

/** A trailing snapshot date (`-20250514`, `-2025-04-16`, `@20250514`) or `-latest`. */
const SNAPSHOT_SUFFIX = /([-@](\d{8}|\d{4}-\d{2}-\d{2})|-latest)$/;

function clauses(logic: MatchLogic, into: { exact: string[]; prefix: string[]; regex: string[] }) {
  if ("or" in logic) for (const l of logic.or) clauses(l, into);
  else if ("and" in logic) for (const l of logic.and) clauses(l, into);
  else if ("equals" in logic) into.exact.push(logic.equals.toLowerCase());
  else if ("starts_with" in logic) into.prefix.push(logic.starts_with.toLowerCase());
  else if ("regex" in logic) into.regex.push(logic.regex);
  return into;
}

/**
 * The library matches loosely (`starts_with: "claude-sonnet-5"` also matches
 * `claude-sonnet-5-5`, a different model). reasonq takes its price only when the name is
 * the library model itself, one of its exact names or patterns, or one of those plus a
 * snapshot date: a newer model never silently inherits an older one's price.
 */
function isCloseMatch(name: string, model: ModelInfo): boolean {
  const lower = name.toLowerCase();
  const { exact, prefix, regex } = clauses(model.match, { exact: [], prefix: [], regex: [] });
  if (exact.includes(lower) || regex.some((r) => new RegExp(r).test(name) && !r.startsWith("^(?!"))) return true;
  const base = lower.replace(SNAPSHOT_SUFFIX, "");
  return [model.id.toLowerCase(), ...exact, ...prefix].includes(base);
}

/**
 * The model's price history as reasonq entries: each dated price of the library becomes an
 * entry, each long-context tier a `tiers` item. Undefined when the library has no usable
 * token price (no input or output price), or uses a constraint reasonq does not read.
 */
export function libraryPriceEntries(modelId: string): PriceEntry[] | undefined {
  const found = libraryModel(modelId);
  if (found === undefined) return undefined;
  const { provider, model } = found;
  const dated = Array.isArray(model.prices)
    ? model.prices.map((p) => ({ constraint: p.constraint, prices: p.prices }))
    : [{ constraint: undefined, prices: model.prices }];
  const entries: PriceEntry[] = [];
  for (const [index, { constraint, prices }] of dated.entries()) {
    let from: string;
    if (constraint === undefined) {
      if (index !== 0) return undefined;
      from = FROM_THE_START;
    } else if (constraint.type === "start_date") {
      from = constraint.start_date;
    } else {
      return undefined;
    }
    const converted = convertPrices(prices);
    if (converted === undefined) return undefined;
    entries.push({
      model: modelId,
      effective_from: from,
      prices: converted.prices,
      ...(converted.tiers.length === 0 ? {} : { tiers: converted.tiers }),
      source: librarySource(provider, from),
    });
  }
  return entries;
}

function librarySource(provider: Provider, from: string): string {
  const page = provider.pricing_urls?.[0];
  const since = from === FROM_THE_START ? "" : `, in force from ${from}`;
  return `${LIBRARY_NAME} ${LIBRARY_VERSION} (data ${LIBRARY_DATA_DATE}); ${provider.name} pricing${page ? ` ${page}` : ""}${since}`;
}

/** The token prices reasonq bills, read at one prompt size. */
function pricesAt(prices: ModelPrice, inputTokens: number): UnitPrices | undefined {
  const at = (key: string): string | undefined => {
    const value = prices[key] as LibraryPrice;
    if (value === undefined) return undefined;
    if (typeof value === "number") return decimalFromNumber(value);
    let price = value.base;
    for (const tier of value.tiers) if (inputTokens > tier.start) price = tier.price;
    return decimalFromNumber(price);
  };
  const input = at("input_mtok");
  const output = at("output_mtok");
  if (input === undefined || output === undefined) return undefined;
  // A unit without its own price stays inside its parent in the library's decomposition:
  // cache reads and writes without a price are billed as input, reasoning as output.
  const reasoning = at("output_reasoning_mtok");
  return {
    input,
    cached_input: at("cache_read_mtok") ?? input,
    // The 5-minute write price, and the 1-hour one where the library has it (Anthropic).
    cache_write: at("cache_write_mtok") ?? input,
    ...(at("cache_write_1h_mtok") === undefined ? {} : { cache_write_1h: at("cache_write_1h_mtok") as string }),
    output,
    ...(reasoning === undefined ? {} : { reasoning }),
  };
}

function convertPrices(prices: ModelPrice): { prices: UnitPrices; tiers: PriceTier[] } | undefined {
  const base = pricesAt(prices, 0);
  if (base === undefined) return undefined;
  const starts = new Set<number>();
  for (const value of Object.values(prices) as LibraryPrice[]) {
    if (typeof value === "object") for (const tier of value.tiers) starts.add(tier.start);
  }
  const tiers: PriceTier[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    const above = pricesAt(prices, start + 1);
    if (above === undefined) return undefined;
    tiers.push({ above_input_tokens: start, prices: above });
  }
  return { prices: base, tiers };
}
