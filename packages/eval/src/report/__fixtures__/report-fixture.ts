import { toDecimalString, tokensCost } from "@reasonq/billing";
import { Aggregator } from "../../aggregate/aggregator.ts";
import type { ResultRow } from "../../aggregate/result-row.ts";
import { expandVariants } from "../../grid.ts";
import { seededRandom } from "../../stats/prng.ts";
import type { ReportInput, ReportItem } from "../report-input.ts";

/** Untrusted text that must come out of the report inert. */
export const HOSTILE = `</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

interface Profile {
  accuracy: number;
  tokens: number;
  spread: number;
  price: string;
}

const PROFILES: Record<string, Profile> = {
  "sim/reasoner@effort=low": { accuracy: 0.78, tokens: 120, spread: 40, price: "4.00" },
  "sim/reasoner@effort=high": { accuracy: 0.96, tokens: 310, spread: 90, price: "4.00" },
  "sim/hasty@effort=low": { accuracy: 0.52, tokens: 18, spread: 6, price: "0.80" },
  "sim/hasty@effort=high": { accuracy: 0.58, tokens: 42, spread: 12, price: "0.80" },
};

/** A batch like `reasonq eval examples/arithmetic.jsonl --models sim/reasoner,sim/hasty --effort low,high`, made up deterministically. */
export function reportFixture(): ReportInput {
  const grid = expandVariants({ models: ["sim/reasoner", "sim/hasty"], efforts: ["low", "high"] });
  const random = seededRandom(2026);
  const aggregator = new Aggregator({ variants: grid.variants, trackPairs: true, notable: 6 });
  const texts = new Map<string, ReportItem>();
  for (let i = 0; i < 50; i++) {
    const a = 12 + ((i * 7) % 80);
    const b = 3 + ((i * 13) % 40);
    const prompt = i === 7 ? `What is ${a}*${b}? ${HOSTILE}` : `What is ${a}*${b}?`;
    const luck = random();
    for (const variant of grid.variants) {
      const p = PROFILES[variant.id] as Profile;
      const right = luck < p.accuracy;
      const reasoning = Math.max(
        0,
        Math.round(p.tokens + (random() - 0.5) * 2 * p.spread + (i % 9 === 0 ? p.tokens : 0)),
      );
      const answerTokens = 6;
      const failed = variant.id.startsWith("sim/hasty") && i === 31;
      const truncated = variant.id === "sim/reasoner@effort=high" && i === 44;
      const cost = failed
        ? "0"
        : toDecimalString(
            tokensCost(14, variant.model === "sim/reasoner" ? "1.00" : "0.20").plus(
              tokensCost(reasoning + answerTokens, p.price),
            ),
          );
      const value = a * b;
      const said = right ? value : value + (i % 2 === 0 ? 10 : -1);
      const row: ResultRow = {
        item_id: `q${String(i + 1).padStart(2, "0")}`,
        variant_id: variant.id,
        repeat: 0,
        status: failed ? "failed" : truncated ? "incomplete" : "succeeded",
        correct: failed ? null : truncated ? false : right,
        extracted: failed || truncated ? null : String(said),
        reasoning_tokens: failed ? null : reasoning,
        output_tokens: failed ? null : reasoning + answerTokens,
        cost,
        latency_ms: failed ? null : 180 + reasoning * 21 + Math.round(random() * 120),
        error_type: failed ? "provider_timeout" : null,
        incomplete_reason: truncated ? "max_output_tokens" : null,
      };
      aggregator.add(row);
      const steps = [
        `The question asks for ${a} * ${b}.`,
        `${a} * ${b} = ${said}. That is ${a} * ${b - (b % 10)} + ${a} * ${b % 10} = ${a * (b - (b % 10))} + ${a * (b % 10)}.`,
        ...Array.from(
          { length: Math.round(reasoning / 40) },
          (_, k) => `Check ${k + 1}: re-deriving ${a} * ${b}, I get ${said}.`,
        ),
        `So ${a} * ${b} = ${said}.`,
      ];
      texts.set(`${row.item_id}/${row.variant_id}`, {
        item_id: row.item_id,
        variant_id: row.variant_id,
        repeat: 0,
        status: row.status,
        correct: row.correct,
        prompt,
        expected: String(value),
        answer: failed ? null : truncated ? "" : `The answer is ${said}.`,
        reasoning: failed ? null : i === 7 ? `${steps.join("\n")}\n${HOSTILE}` : steps.join("\n"),
        extracted: row.extracted ?? null,
        cost,
        latency_ms: row.latency_ms,
        reasoning_tokens: row.reasoning_tokens,
      });
    }
  }
  const notable = aggregator.notable();
  const wanted = [...notable.slowest, ...notable.most_expensive].map((r) => `${r.item_id}/${r.variant_id}`);
  wanted.push("q08/sim/reasoner@effort=high");
  const items = [...new Set(wanted)].map((key) => texts.get(key) as ReportItem);
  const [reasonerLow, reasonerHigh, hastyLow, hastyHigh] = grid.variants.map((v) => v.id) as [
    string,
    string,
    string,
    string,
  ];
  return {
    batch: {
      id: "bat_01JTESTREPORT0000000000000",
      name: `arithmetic: reasoner vs hasty ${HOSTILE}`,
      created_at: "2026-11-20T10:00:00Z",
      completed_at: "2026-11-20T10:03:12Z",
      status: "completed",
      dataset: "examples/arithmetic.jsonl",
      scorer: "numeric (tolerance 1e-6)",
      items: 50,
      repeats: 1,
      max_cost_usd: "5.00",
    },
    variants: aggregator.summary(),
    comparisons: [
      aggregator.compare(hastyHigh, reasonerHigh),
      aggregator.compare(reasonerLow, reasonerHigh),
      aggregator.compare(hastyLow, hastyHigh),
    ],
    items,
    notable: 6,
    generated_at: "2026-11-20T10:03:13Z",
  };
}
