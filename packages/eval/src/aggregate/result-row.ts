import { DecimalStringSchema, IncompleteReasonSchema } from "@reasonq/core";
import { z } from "zod";

/** The terminal statuses a batch cell can end in. */
export const RESULT_STATUSES = ["succeeded", "incomplete", "failed", "cancelled"] as const;

/**
 * One (item, variant, repeat) of a batch, as the aggregates read it. Token counts and
 * latency are null when the job never produced usage (it failed before the provider
 * answered); `cost` is what was billed, "0" when nothing was.
 */
export const ResultRowSchema = z.object({
  item_id: z.string(),
  variant_id: z.string(),
  repeat: z.number().int().nonnegative(),
  status: z.enum(RESULT_STATUSES),
  /** The scorer's verdict; null when the item could not be scored (no expected answer). */
  correct: z.boolean().nullable(),
  /** What the scorer extracted (final number, option letter): majority vote compares these. */
  extracted: z.string().nullable().optional(),
  reasoning_tokens: z.number().int().nonnegative().nullable(),
  output_tokens: z.number().int().nonnegative().nullable(),
  cost: DecimalStringSchema,
  latency_ms: z.number().nonnegative().nullable(),
  error_type: z.string().nullable().optional(),
  incomplete_reason: IncompleteReasonSchema.nullable().optional(),
});
export type ResultRow = z.infer<typeof ResultRowSchema>;

/**
 * Whether a row counts toward accuracy, and as what. Failed and cancelled jobs are not
 * graded (they are reported in the outcome mix): they say something about the service, not
 * the model. An incomplete job (cut by its output limit, refused by a content filter) is
 * graded, and wrong unless the scorer found its partial answer right. A succeeded job with
 * no verdict (`correct: null`, e.g. no expected answer) is not graded.
 */
export function gradeOf(row: Pick<ResultRow, "status" | "correct">): boolean | null {
  switch (row.status) {
    case "succeeded":
      return row.correct;
    case "incomplete":
      return row.correct === true;
    case "failed":
    case "cancelled":
      return null;
  }
}
