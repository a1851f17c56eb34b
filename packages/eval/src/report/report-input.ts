import type { VariantSummary } from "../aggregate/aggregator.ts";
import type { PairedComparison } from "../aggregate/compare.ts";
import type { ResultRow } from "../aggregate/result-row.ts";

export interface ReportBatch {
  id: string;
  name?: string | null;
  created_at: string;
  completed_at?: string | null;
  status?: string;
  /** Where the items came from (a file name, a dataset id). */
  dataset?: string | null;
  /** The scorer, as people read it: `numeric (tolerance 0.001)`. */
  scorer?: string | null;
  items?: number | null;
  repeats?: number;
  max_cost_usd?: string | null;
  /** What the judge scorer's own jobs cost, when there was a judge (not in any variant's cost). */
  judge_cost?: string | null;
  /** `provider_batch` when the jobs went through the providers' batch APIs. */
  lane?: string;
  /** provider_batch lane: the same usage at the interactive price, and the difference. */
  provider_batch_saving?: { interactive_usd: string; saved_usd: string } | null;
}

/** One result row shown in full in the report: the slowest and the most expensive. */
export interface ReportItem {
  item_id: string;
  variant_id: string;
  repeat: number;
  status: ResultRow["status"];
  correct: boolean | null;
  prompt: string;
  expected: string | null;
  answer: string | null;
  reasoning: string | null;
  extracted?: string | null;
  cost: string;
  latency_ms: number | null;
  reasoning_tokens: number | null;
}

export interface ReportInput {
  batch: ReportBatch;
  variants: VariantSummary[];
  comparisons?: PairedComparison[];
  /** Candidates for the slowest / most expensive tables (e.g. the rows of `Aggregator.notable()`, with their text). */
  items?: ReportItem[];
  /** Rows per notable table (default 8). */
  notable?: number;
  /** Shown in the footer when given; the page is otherwise a pure function of its input. */
  generated_at?: string;
}
