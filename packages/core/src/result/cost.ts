import { z } from "zod";

/** Exact decimal, as a string: money never passes through a float. */
export const DecimalStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal string");

export const UnitPricesSchema = z
  .object({
    input: DecimalStringSchema,
    cached_input: DecimalStringSchema,
    cache_write: DecimalStringSchema,
    /** The 1-hour cache write price (Anthropic); `cache_write` is the 5-minute one. */
    cache_write_1h: DecimalStringSchema.optional(),
    output: DecimalStringSchema,
    reasoning: DecimalStringSchema.optional(),
  })
  .meta({ id: "UnitPricesPerMillion" });
export type UnitPrices = z.infer<typeof UnitPricesSchema>;

/** The prices a job was billed with, frozen on the job so history never changes. */
export const PriceSnapshotSchema = z.object({
  currency: z.literal("USD"),
  unit_prices_per_million: UnitPricesSchema,
  price_source: z.string(),
});
export type PriceSnapshot = z.infer<typeof PriceSnapshotSchema>;

/** Cost lines; `input` is the uncached part of the prompt. The lines add up to `total` exactly. */
export const CostSchema = z
  .object({
    currency: z.literal("USD"),
    input: DecimalStringSchema,
    cached_input: DecimalStringSchema,
    cache_write: DecimalStringSchema,
    reasoning: DecimalStringSchema,
    answer: DecimalStringSchema,
    total: DecimalStringSchema,
    unit_prices_per_million: UnitPricesSchema,
    price_source: z.string(),
  })
  .meta({ id: "Cost" });
export type Cost = z.infer<typeof CostSchema>;
