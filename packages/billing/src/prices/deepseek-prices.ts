import type { UnitPrices } from "@reasonq/core";
import type { PeakHours, PriceEntry } from "./price-entry.ts";

/**
 * DeepSeek, reviewed by hand rather than read from `@pydantic/genai-prices` 0.1.8, whose
 * DeepSeek data is wrong for reasonq in four ways: it has no `deepseek-flash`
 * (DeepSeek-V4.1-Flash, 2026-09-10) and no Flash price change of that day; its peak hours
 * apply every day, while since 2026-08-23 00:00 Beijing time weekends are off-peak all day;
 * it starts the 2026-08 prices at 2026-08-17 00:00 UTC instead of 00:00 Beijing time
 * (2026-08-16T16:00Z); and `deepseek-chat` / `deepseek-reasoner` keep the February 2025
 * prices with the night discount that DeepSeek cancelled on 2025-09-05 (its own comment
 * says a daily window and a date cannot be combined in one of its entries).
 *
 * DeepSeek does not charge for writing its disk cache: a cache miss is billed as input, so
 * `cache_write` is the input price. Off-peak is half of peak for every line.
 */
const PAGE = "https://api-docs.deepseek.com/quick_start/pricing";
const REVIEWED = "reasonq reviewed price list, checked 2026-11-22";
const source = (what: string) => `${REVIEWED}; DeepSeek pricing ${PAGE} (${what})`;

const prices = (input: string, cacheHit: string, output: string): UnitPrices => ({
  input,
  cached_input: cacheHit,
  cache_write: input,
  output,
});

/** Peak since 2026-08-16T16:00Z: Beijing 09:00–12:00 and 14:00–18:00, every day at first. */
const peakEveryDay = (peak: UnitPrices): PeakHours => ({
  utc_offset_minutes: 480,
  days: [1, 2, 3, 4, 5, 6, 7],
  windows: [
    ["09:00", "12:00"],
    ["14:00", "18:00"],
  ],
  prices: peak,
  label: "peak hours (Beijing 09:00-12:00, 14:00-18:00)",
  otherwise_label: "off-peak",
});

/** Since 2026-08-23 00:00 Beijing time (2026-08-22T16:00Z) Beijing weekends are off-peak all day. */
const peakOnWeekdays = (peak: UnitPrices): PeakHours => ({
  ...peakEveryDay(peak),
  days: [1, 2, 3, 4, 5],
  label: "peak hours (Beijing weekdays 09:00-12:00, 14:00-18:00)",
});

const PEAK_START = "2026-08-16T16:00:00Z";
const WEEKEND_OFF_PEAK_START = "2026-08-22T16:00:00Z";
const V41_FLASH_START = "2026-09-10T04:00:00Z";

const V4_FLASH_LAUNCH = prices("0.14", "0.028", "0.28");
const V4_FLASH = prices("0.14", "0.0028", "0.28");
const V4_FLASH_OFF_PEAK = prices("0.22", "0.007", "0.66");
const V4_FLASH_PEAK = prices("0.44", "0.014", "1.32");
const V41_FLASH_OFF_PEAK = prices("0.15", "0.003", "0.60");
const V41_FLASH_PEAK = prices("0.30", "0.006", "1.20");

/** DeepSeek-V4 Flash's history, shared by the ids that served it. */
function v4FlashHistory(model: string, alias: string): PriceEntry[] {
  return [
    {
      model,
      effective_from: "2026-04-24",
      prices: V4_FLASH_LAUNCH,
      source: source(`DeepSeek-V4-Flash launch price${alias}`),
    },
    {
      model,
      effective_from: "2026-04-26",
      prices: V4_FLASH,
      source: source(`DeepSeek-V4-Flash, cache hits cut to a tenth${alias}`),
    },
  ];
}

function v4FlashPeakHistory(model: string): PriceEntry[] {
  return [
    {
      model,
      effective_from: PEAK_START,
      prices: V4_FLASH_OFF_PEAK,
      peak: peakEveryDay(V4_FLASH_PEAK),
      source: source("peak and off-peak prices from 2026-08-17 00:00 Beijing time"),
    },
    {
      model,
      effective_from: WEEKEND_OFF_PEAK_START,
      prices: V4_FLASH_OFF_PEAK,
      peak: peakOnWeekdays(V4_FLASH_PEAK),
      source: source("weekends off-peak from 2026-08-23 00:00 Beijing time"),
    },
  ];
}

const v41Flash = (model: string, what: string): PriceEntry => ({
  model,
  effective_from: V41_FLASH_START,
  prices: V41_FLASH_OFF_PEAK,
  peak: peakOnWeekdays(V41_FLASH_PEAK),
  source: source(what),
});

/** R1/V3 era: the night discount (UTC 16:30–00:30) ran from 2025-02-26T16:30Z to 2025-09-05T16:00Z. */
const nightDiscount = (standard: UnitPrices): PeakHours => ({
  utc_offset_minutes: 0,
  days: [1, 2, 3, 4, 5, 6, 7],
  windows: [["00:30", "16:30"]],
  prices: standard,
  label: "standard hours (UTC 00:30-16:30)",
  otherwise_label: "night discount (UTC 16:30-00:30)",
});

/** From V3.1 on, `deepseek-chat` and `deepseek-reasoner` had one price, then became V4-Flash aliases until their retirement on 2026-07-24. */
function sharedChatReasonerHistory(model: string): PriceEntry[] {
  return [
    {
      model,
      effective_from: "2025-09-05T16:00:00Z",
      prices: prices("0.56", "0.07", "1.68"),
      source: source("DeepSeek-V3.1 price list, night discount cancelled, from 2025-09-05 16:00 UTC"),
    },
    {
      model,
      effective_from: "2025-09-29",
      prices: prices("0.28", "0.028", "0.42"),
      source: source("DeepSeek-V3.2-Exp price cut of 2025-09-29"),
    },
    ...v4FlashHistory(model, "; this id served V4-Flash until its retirement on 2026-07-24"),
  ];
}

export const DEEPSEEK_PRICES: readonly PriceEntry[] = [
  {
    model: "deepseek/deepseek-reasoner",
    effective_from: "2025-01-20",
    prices: prices("0.55", "0.14", "2.19"),
    source: source("DeepSeek-R1 launch price"),
  },
  {
    model: "deepseek/deepseek-reasoner",
    effective_from: "2025-02-26T16:30:00Z",
    prices: prices("0.135", "0.035", "0.55"),
    peak: nightDiscount(prices("0.55", "0.14", "2.19")),
    source: source("DeepSeek-R1 with the night discount"),
  },
  ...sharedChatReasonerHistory("deepseek/deepseek-reasoner"),
  {
    model: "deepseek/deepseek-chat",
    effective_from: "2025-02-26T16:30:00Z",
    prices: prices("0.135", "0.035", "0.55"),
    peak: nightDiscount(prices("0.27", "0.07", "1.10")),
    source: source("DeepSeek-V3 with the night discount"),
  },
  ...sharedChatReasonerHistory("deepseek/deepseek-chat"),
  ...v4FlashHistory("deepseek/deepseek-v4-flash", ""),
  ...v4FlashPeakHistory("deepseek/deepseek-v4-flash"),
  v41Flash("deepseek/deepseek-v4-flash", "served and billed as DeepSeek-V4.1-Flash from 2026-09-10 04:00 UTC"),
  v41Flash("deepseek/deepseek-flash", "DeepSeek-V4.1-Flash, from its launch on 2026-09-10 04:00 UTC"),
  {
    model: "deepseek/deepseek-v4-pro",
    effective_from: "2026-04-24",
    prices: prices("0.435", "0.003625", "0.87"),
    source: source("DeepSeek-V4-Pro at the 75% discount that was made permanent"),
  },
  {
    model: "deepseek/deepseek-v4-pro",
    effective_from: PEAK_START,
    prices: prices("0.66", "0.022", "1.98"),
    peak: peakEveryDay(prices("1.32", "0.044", "3.96")),
    source: source("peak and off-peak prices from 2026-08-17 00:00 Beijing time"),
  },
  {
    model: "deepseek/deepseek-v4-pro",
    effective_from: WEEKEND_OFF_PEAK_START,
    prices: prices("0.66", "0.022", "1.98"),
    peak: peakOnWeekdays(prices("1.32", "0.044", "3.96")),
    // The announced routing of V4-Pro to V4.1-Flash from 2026-09-14 was withdrawn before it
    // took effect; DeepSeek kept serving and billing V4-Pro unchanged.
    source: source("weekends off-peak from 2026-08-23 00:00 Beijing time"),
  },
];
