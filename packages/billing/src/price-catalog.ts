import { type PriceSnapshot, ReasonqError, type UnitPrices, UnitPricesSchema, type Usage } from "@reasonq/core";
import { maxMoney, money, toDecimalString } from "./money.ts";
import { PROVIDER_BATCH_DISCOUNTS } from "./prices/batch-discounts.ts";
import { libraryPriceEntries } from "./prices/library-prices.ts";
import type { PeakHours, PriceEntry } from "./prices/price-entry.ts";
import { REVIEWED_PRICES } from "./prices/reviewed-prices.ts";

/** What, besides the model and the time, decides the price of one attempt. */
export interface PriceQuery {
  /**
   * The attempt's `input_tokens` (every prompt token, cache reads and writes included). It
   * picks the long-context tier where the model has one; omitted, the base tier is used.
   */
  inputTokens?: number;
  /** The request went through the provider's batch API: its batch discount applies. */
  providerBatch?: boolean;
}

export interface PriceCatalog {
  /**
   * The prices in force for `modelId` at `at` (an attempt's start time: dated changes and
   * time-of-day prices are read at it) for a prompt of `query.inputTokens`, frozen into a
   * snapshot. Throws `unknown_model` ("no price") when no layer prices the model then.
   */
  snapshotFor(modelId: string, at: Date, query?: PriceQuery): PriceSnapshot;
  /**
   * The highest prices the model may be billed at on the price list in force at `at` for
   * that prompt size: the peak rate where the price depends on the hour, since a queued job
   * may start later. What pre-flight estimates use.
   */
  maxSnapshotFor(modelId: string, at: Date, query?: PriceQuery): PriceSnapshot;
  /** The model's price entries in each layer, highest precedence first (empty layers left out). */
  historyOf(modelId: string): ReadonlyArray<readonly PriceEntry[]>;
  /** The explicit entries: user overrides, then reviewed prices (the library's are read per model). */
  entries(): readonly PriceEntry[];
}

export interface PriceCatalogOptions {
  /** reasonq's reviewed table (sim, DeepSeek, day-0 models); replaceable in tests. */
  reviewed?: readonly PriceEntry[];
  /** Fall back to the pinned `@pydantic/genai-prices` data (default true). */
  library?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

type Dated = PriceEntry & { from: number };
type Layer = (modelId: string) => readonly Dated[] | undefined;

function startOf(entry: PriceEntry): number {
  const text = entry.effective_from;
  const from = DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(from)) {
    throw new Error(
      `price for ${entry.model}: effective_from must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got ${entry.effective_from}`,
    );
  }
  return from;
}

function validate(entry: PriceEntry): void {
  UnitPricesSchema.parse(entry.prices);
  if (entry.tiers !== undefined && entry.peak !== undefined) {
    throw new Error(`price for ${entry.model}: an entry has long-context tiers or peak hours, not both`);
  }
  let previous = -1;
  for (const tier of entry.tiers ?? []) {
    if (!Number.isSafeInteger(tier.above_input_tokens) || tier.above_input_tokens <= previous) {
      throw new Error(`price for ${entry.model}: tiers must start at increasing whole token counts`);
    }
    previous = tier.above_input_tokens;
    UnitPricesSchema.parse(tier.prices);
  }
  if (entry.peak !== undefined) {
    const { peak } = entry;
    UnitPricesSchema.parse(peak.prices);
    const ok =
      Number.isInteger(peak.utc_offset_minutes) &&
      Math.abs(peak.utc_offset_minutes) <= 14 * 60 &&
      peak.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) &&
      peak.windows.every(([a, b]) => CLOCK.test(a) && CLOCK.test(b) && a < b);
    if (!ok) throw new Error(`price for ${entry.model}: invalid peak hours`);
  }
}

/** One layer of entries, by model, newest first. */
function indexEntries(entries: readonly PriceEntry[]): Map<string, Dated[]> {
  const byModel = new Map<string, Dated[]>();
  for (const entry of entries) {
    const from = startOf(entry);
    validate(entry);
    const list = byModel.get(entry.model) ?? [];
    if (list.some((e) => e.from === from)) {
      throw new Error(`two prices for ${entry.model} from ${entry.effective_from}`);
    }
    list.push({ ...entry, from });
    list.sort((a, b) => b.from - a.from);
    byModel.set(entry.model, list);
  }
  return byModel;
}

function libraryLayer(): Layer {
  const cache = new Map<string, Dated[] | undefined>();
  return (modelId) => {
    if (!cache.has(modelId)) {
      const entries = libraryPriceEntries(modelId);
      cache.set(modelId, entries === undefined ? undefined : indexEntries(entries).get(modelId));
    }
    return cache.get(modelId);
  };
}

const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Whether `at` falls in the peak hours, read on the provider's clock. */
export function isPeak(peak: PeakHours, at: Date): boolean {
  const local = new Date(at.getTime() + peak.utc_offset_minutes * 60_000);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  if (!peak.days.includes(weekday)) return false;
  const ms = ((local.getUTCHours() * 60 + local.getUTCMinutes()) * 60 + local.getUTCSeconds()) * 1000;
  const t = ms + local.getUTCMilliseconds();
  return peak.windows.some(([a, b]) => t >= minutesOf(a) * 60_000 && t < minutesOf(b) * 60_000);
}

const LINES = ["input", "cached_input", "cache_write", "cache_write_1h", "output", "reasoning"] as const;

function scale(prices: UnitPrices, factor: string): UnitPrices {
  const out: UnitPrices = { ...prices };
  for (const line of LINES) {
    const value = prices[line];
    if (value !== undefined) out[line] = toDecimalString(money(value).times(money(factor)));
  }
  return out;
}

function highest(a: UnitPrices, b: UnitPrices): UnitPrices {
  const pick = (x: string, y: string) => toDecimalString(maxMoney(money(x), money(y)));
  const reasoning =
    a.reasoning === undefined && b.reasoning === undefined
      ? undefined
      : pick(a.reasoning ?? a.output, b.reasoning ?? b.output);
  const longWrite =
    a.cache_write_1h === undefined && b.cache_write_1h === undefined
      ? undefined
      : pick(a.cache_write_1h ?? a.cache_write, b.cache_write_1h ?? b.cache_write);
  return {
    input: pick(a.input, b.input),
    cached_input: pick(a.cached_input, b.cached_input),
    cache_write: pick(a.cache_write, b.cache_write),
    ...(longWrite === undefined ? {} : { cache_write_1h: longWrite }),
    output: pick(a.output, b.output),
    ...(reasoning === undefined ? {} : { reasoning }),
  };
}

function checkQuery(query: PriceQuery): void {
  if (query.inputTokens !== undefined && (!Number.isSafeInteger(query.inputTokens) || query.inputTokens < 0)) {
    throw new RangeError(`inputTokens must be a non-negative integer: ${query.inputTokens}`);
  }
}

/**
 * A catalog of three layers, highest precedence first: `userEntries` (overrides from
 * `reasonq.config.*`), reasonq's reviewed table, and the pinned `@pydantic/genai-prices`
 * data. For a model and a time, the first layer with an entry in force then wins, so an
 * override dated 2026-12-01 changes prices from that day and leaves earlier jobs priced
 * as they were.
 */
export function createPriceCatalog(
  userEntries: readonly PriceEntry[] = [],
  options: PriceCatalogOptions = {},
): PriceCatalog {
  const reviewed = options.reviewed ?? REVIEWED_PRICES;
  const explicit = [indexEntries(userEntries), indexEntries(reviewed)];
  const layers: Layer[] = explicit.map((index) => (modelId: string) => index.get(modelId));
  if (options.library !== false) layers.push(libraryLayer());

  function inForce(modelId: string, at: Date): Dated {
    if (Number.isNaN(at.getTime())) throw new RangeError("invalid price time");
    let earliest: string | undefined;
    for (const layer of layers) {
      const list = layer(modelId);
      if (list === undefined) continue;
      const entry = list.find((e) => e.from <= at.getTime());
      if (entry !== undefined) return entry;
      const first = list[list.length - 1];
      if (first !== undefined && (earliest === undefined || first.effective_from < earliest)) {
        earliest = first.effective_from;
      }
    }
    if (earliest === undefined) {
      throw new ReasonqError(
        "unknown_model",
        `there is no price for model "${modelId}", so its cost cannot be computed`,
        { field: "model" },
      );
    }
    throw new ReasonqError(
      "unknown_model",
      `there is no price for model "${modelId}" on ${at.toISOString()}: its prices start on ${earliest}`,
      { field: "model" },
    );
  }

  function tierOf(entry: Dated, query: PriceQuery): { prices: UnitPrices; note?: string } {
    const tokens = query.inputTokens;
    let chosen: { prices: UnitPrices; note?: string } = { prices: entry.prices };
    if (tokens === undefined) return chosen;
    for (const tier of entry.tiers ?? []) {
      if (tokens > tier.above_input_tokens) {
        chosen = {
          prices: tier.prices,
          note: `long-context rate (prompt of ${tier.above_input_tokens + 1} tokens or more)`,
        };
      }
    }
    return chosen;
  }

  function snapshot(modelId: string, entry: Dated, prices: UnitPrices, notes: string[], query: PriceQuery) {
    let unit = prices;
    if (query.providerBatch === true) {
      const family = modelId.slice(0, modelId.indexOf("/"));
      const discount = PROVIDER_BATCH_DISCOUNTS[family];
      if (discount === undefined) {
        throw new ReasonqError("invalid_request", `provider "${family}" has no batch discount in the price catalog`);
      }
      unit = scale(prices, discount.factor);
      notes.push(discount.source);
    }
    const snap: PriceSnapshot = {
      currency: "USD",
      unit_prices_per_million: { ...unit },
      price_source: [entry.source, ...notes].join("; "),
    };
    return snap;
  }

  return {
    entries: () => [...userEntries, ...reviewed],
    historyOf(modelId) {
      return layers
        .map((layer) => layer(modelId) ?? [])
        .filter((list) => list.length > 0)
        .map((list) => [...list].reverse().map(({ from: _from, ...entry }) => entry));
    },
    snapshotFor(modelId, at, query = {}) {
      checkQuery(query);
      const entry = inForce(modelId, at);
      const notes: string[] = [];
      let { prices, note } = tierOf(entry, query);
      if (note !== undefined) notes.push(note);
      if (entry.peak !== undefined) {
        const peak = isPeak(entry.peak, at);
        if (peak) prices = entry.peak.prices;
        notes.push(peak ? entry.peak.label : entry.peak.otherwise_label);
      }
      return snapshot(modelId, entry, prices, notes, query);
    },
    maxSnapshotFor(modelId, at, query = {}) {
      checkQuery(query);
      const entry = inForce(modelId, at);
      const notes: string[] = [];
      let { prices, note } = tierOf(entry, query);
      if (note !== undefined) notes.push(note);
      if (entry.peak !== undefined) {
        prices = highest(prices, entry.peak.prices);
        notes.push(`the higher of ${entry.peak.label} and ${entry.peak.otherwise_label}`);
      }
      return snapshot(modelId, entry, prices, notes, query);
    },
  };
}

/** The default catalog: reviewed prices over the pinned library data, no user overrides. */
export const priceCatalog: PriceCatalog = createPriceCatalog();

export function priceSnapshotFor(modelId: string, at: Date, query?: PriceQuery): PriceSnapshot {
  return priceCatalog.snapshotFor(modelId, at, query);
}

/** The snapshot to bill one attempt with: the prices at its start, for its own prompt size. */
export function priceFor(
  modelId: string,
  at: Date,
  usage: Pick<Usage, "input_tokens">,
  catalog = priceCatalog,
  options: { providerBatch?: boolean } = {},
) {
  return catalog.snapshotFor(modelId, at, {
    inputTokens: usage.input_tokens,
    ...(options.providerBatch === true ? { providerBatch: true } : {}),
  });
}
