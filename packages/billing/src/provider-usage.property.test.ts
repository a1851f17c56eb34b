import { finalizeUsage, type PriceSnapshot, type Usage } from "@reasonq/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCost } from "./compute-cost.ts";
import { type Money, money, sum, tokensCost } from "./money.ts";
import { priceSnapshotFor } from "./price-catalog.ts";

/**
 * The "Done when" invariants of the billing issue, shown on `computeCost` with usages
 * converted the way each provider's convention requires (providers.md §1.4, §2.5, §3.5, §4.5,
 * §5.5, §6.1). The converters below are the rules the adapters' `convert-<family>-usage.ts`
 * implement; billing itself never imports a provider.
 */

const n = fc.integer({ min: 0, max: 50_000_000 });
const when = fc.date({
  min: new Date("2026-09-11T00:00:00Z"),
  max: new Date("2027-06-30T00:00:00Z"),
  noInvalidDate: true,
});

/** OpenAI Chat/Responses: reasoning and cached tokens are subsets of completion/prompt tokens. */
function fromOpenAI(u: { prompt: number; cached: number; completion: number; reasoning: number }): Usage {
  return finalizeUsage(
    {
      input_tokens: u.prompt,
      cached_input_tokens: u.cached,
      cache_write_tokens: 0,
      output_tokens: u.completion,
      reasoning_tokens: u.reasoning,
      raw: u,
    },
    "",
  );
}
const openAIUsage = fc.record({ uncached: n, cached: n, answer: n, reasoning: n }).map((t) => ({
  prompt: t.uncached + t.cached,
  cached: t.cached,
  completion: t.answer + t.reasoning,
  reasoning: t.reasoning,
}));

/** Gemini: thoughts are outside candidates; tool-use prompt tokens are input; cached content is part of the prompt. */
function fromGemini(u: {
  prompt: number;
  cached: number;
  toolUse: number;
  candidates: number;
  thoughts: number;
}): Usage {
  return finalizeUsage(
    {
      input_tokens: u.prompt + u.toolUse,
      cached_input_tokens: u.cached,
      cache_write_tokens: 0,
      output_tokens: u.candidates + u.thoughts,
      reasoning_tokens: u.thoughts,
      raw: u,
    },
    "",
  );
}
const geminiUsage = fc.record({ uncached: n, cached: n, toolUse: n, candidates: n, thoughts: n }).map((t) => ({
  prompt: t.uncached + t.cached,
  cached: t.cached,
  toolUse: t.toolUse,
  candidates: t.candidates,
  thoughts: t.thoughts,
}));

/** Anthropic: cache reads and writes are beside `input_tokens`; `output_tokens` includes the full thinking. */
function fromAnthropic(
  u: { input: number; cacheRead: number; cacheWrite: number; output: number; thinking: number | undefined },
  thinkingText: string,
): Usage {
  return finalizeUsage(
    {
      input_tokens: u.input + u.cacheRead + u.cacheWrite,
      cached_input_tokens: u.cacheRead,
      cache_write_tokens: u.cacheWrite,
      output_tokens: u.output,
      reasoning_tokens: u.thinking,
      raw: u,
    },
    thinkingText,
  );
}
const anthropicUsage = fc
  .record({
    input: n,
    cacheRead: n,
    cacheWrite: n,
    output: n,
    thinkingShare: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  })
  .map(({ thinkingShare, ...t }) => ({
    ...t,
    thinking: thinkingShare === undefined ? undefined : Math.floor((t.output * thinkingShare) / 100),
  }));

/** xAI: `completion_tokens` excludes reasoning, so billable output is their sum (= total_tokens − prompt_tokens). */
function fromXai(u: { prompt: number; cached: number; completion: number; reasoning: number }): Usage {
  return finalizeUsage(
    {
      input_tokens: u.prompt,
      cached_input_tokens: u.cached,
      cache_write_tokens: 0,
      output_tokens: u.completion + u.reasoning,
      reasoning_tokens: u.reasoning,
      raw: u,
    },
    "",
  );
}

const price = (snapshot: PriceSnapshot) => snapshot.unit_prices_per_million;
const costOf = (tokens: number, perMillion: string): Money => tokensCost(tokens, perMillion);
const parts = (c: ReturnType<typeof computeCost>) =>
  sum([c.input, c.cached_input, c.cache_write, c.reasoning, c.answer].map(money));

describe("billing by provider convention", () => {
  it("adds the parts up to the total exactly, for every convention and real catalog prices", () => {
    const models = [
      "openai/o3",
      "google/gemini-2.5-pro",
      "anthropic/claude-opus-4-8",
      "deepseek/deepseek-flash",
      "xai/grok-4.5",
    ];
    const usage = fc.oneof(
      openAIUsage.map(fromOpenAI),
      geminiUsage.map(fromGemini),
      anthropicUsage.map((u) => fromAnthropic(u, "")),
      openAIUsage.map(fromXai),
    );
    fc.assert(
      fc.property(fc.constantFrom(...models), usage, when, (model, u, at) => {
        const cost = computeCost(u, priceSnapshotFor(model, at, { inputTokens: u.input_tokens }));
        expect(parts(cost).equals(money(cost.total))).toBe(true);
      }),
    );
  });

  it("bills reasoning at the output price, and all output at output_tokens × the output price", () => {
    fc.assert(
      fc.property(openAIUsage, when, (raw, at) => {
        const u = fromOpenAI(raw);
        const snapshot = priceSnapshotFor("openai/gpt-5.5", at, { inputTokens: u.input_tokens });
        const cost = computeCost(u, snapshot);
        expect(money(cost.reasoning).equals(costOf(u.reasoning_tokens, price(snapshot).output))).toBe(true);
        expect(
          money(cost.reasoning)
            .plus(money(cost.answer))
            .equals(costOf(u.output_tokens, price(snapshot).output)),
        ).toBe(true);
      }),
    );
  });

  it("bills Gemini's thoughts: output is candidates + thoughts at the output price", () => {
    fc.assert(
      fc.property(geminiUsage, when, (raw, at) => {
        const u = fromGemini(raw);
        const snapshot = priceSnapshotFor("google/gemini-2.5-pro", at, { inputTokens: u.input_tokens });
        const p = price(snapshot);
        const cost = computeCost(u, snapshot);
        const output = money(cost.reasoning).plus(money(cost.answer));
        expect(output.equals(costOf(raw.candidates + raw.thoughts, p.output))).toBe(true);
        expect(money(cost.reasoning).equals(costOf(raw.thoughts, p.output))).toBe(true);
        const expected = sum([
          costOf(raw.prompt + raw.toolUse - raw.cached, p.input),
          costOf(raw.cached, p.cached_input),
          costOf(raw.candidates + raw.thoughts, p.output),
        ]);
        expect(money(cost.total).equals(expected)).toBe(true);
      }),
    );
  });

  it("does not bill OpenAI's reasoning twice: the total is prompt + completion tokens, reasoning inside", () => {
    fc.assert(
      fc.property(openAIUsage, when, (raw, at) => {
        const snapshot = priceSnapshotFor("openai/o4-mini", at);
        const p = price(snapshot);
        const cost = computeCost(fromOpenAI(raw), snapshot);
        const expected = sum([
          costOf(raw.prompt - raw.cached, p.input),
          costOf(raw.cached, p.cached_input),
          costOf(raw.completion, p.output),
        ]);
        expect(money(cost.total).equals(expected)).toBe(true);
        if (raw.reasoning > 0) {
          const doubled = expected.plus(costOf(raw.reasoning, p.output));
          expect(money(cost.total).lessThan(doubled)).toBe(true);
        }
      }),
    );
  });

  it("takes Anthropic's total from output_tokens, whatever the thinking count or its estimate", () => {
    fc.assert(
      fc.property(anthropicUsage, fc.string({ maxLength: 2000 }), when, (raw, thinkingText, at) => {
        const u = fromAnthropic(raw, thinkingText);
        const snapshot = priceSnapshotFor("anthropic/claude-sonnet-4-20250514", at);
        const p = price(snapshot);
        const cost = computeCost(u, snapshot);
        expect(u.reasoning_tokens_source).toBe(raw.thinking === undefined ? "estimated" : "provider");
        const expected = sum([
          costOf(raw.input, p.input),
          costOf(raw.cacheRead, p.cached_input),
          costOf(raw.cacheWrite, p.cache_write),
          costOf(raw.output, p.output),
        ]);
        expect(money(cost.total).equals(expected)).toBe(true);
        // A different estimate of the thinking moves cost between reasoning and answer, never the total.
        const other = computeCost(fromAnthropic(raw, `${thinkingText}${"x".repeat(400)}`), snapshot);
        expect(other.total).toBe(cost.total);
      }),
    );
  });

  it("bills xAI's reasoning, reported outside completion_tokens", () => {
    fc.assert(
      fc.property(openAIUsage, when, (raw, at) => {
        const xai = {
          prompt: raw.prompt,
          cached: raw.cached,
          completion: raw.completion - raw.reasoning,
          reasoning: raw.reasoning,
        };
        const totalTokens = xai.prompt + xai.completion + xai.reasoning;
        const snapshot = priceSnapshotFor("xai/grok-4", at);
        const cost = computeCost(fromXai(xai), snapshot);
        const output = money(cost.reasoning).plus(money(cost.answer));
        expect(output.equals(costOf(totalTokens - xai.prompt, price(snapshot).output))).toBe(true);
      }),
    );
  });
});
