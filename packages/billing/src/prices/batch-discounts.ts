/**
 * Provider batch APIs bill every token line at a fraction of the list price. reasonq's
 * price data holds list prices; a request sent through a provider's batch API is priced
 * with `{ providerBatch: true }`, which multiplies every line by the family's factor.
 * Families not listed have no batch discount (DeepSeek has no batch API).
 */
export interface BatchDiscount {
  /** The multiplier applied to every unit price, as a decimal string. */
  factor: string;
  source: string;
}

export const PROVIDER_BATCH_DISCOUNTS: Readonly<Record<string, BatchDiscount>> = {
  openai: { factor: "0.5", source: "OpenAI Batch API: 50% of list prices" },
  anthropic: { factor: "0.5", source: "Anthropic Message Batches API: 50% of list prices" },
  google: { factor: "0.5", source: "Gemini Batch API: 50% of list prices" },
};
