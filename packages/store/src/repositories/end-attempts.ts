import type { Cost, IncompleteReason, JobError, JobStatus, Output, PriceSnapshot, Usage, Warning } from "@reasonq/core";
import { CompiledQuery, type Kysely } from "kysely";
import type { Database, JobRow } from "../schema.ts";
import { END_ATTEMPT_ONE, END_ATTEMPTS } from "./job-statements.ts";

/** What one provider call came to, and what the job adds up to with it. */
export interface AttemptEnd {
  outcome: "succeeded" | "incomplete" | "failed" | "retried" | "cancelled";
  error: JobError | null;
  /** This attempt's own consumption (null when it consumed nothing measurable). */
  usage: Usage | null;
  cost: Cost | null;
  /** The job's totals over all its attempts, this one included. */
  jobUsage: Usage | null;
  jobCost: Cost | null;
  output: Output | null;
  incompleteReason?: IncompleteReason | null;
  warnings?: Warning[];
  /** The provider's usage of this attempt, verbatim, so it can be re-priced. */
  rawUsage?: unknown;
  /** The prices this attempt was billed with. */
  priceSnapshot?: PriceSnapshot | null;
  /** When the first token arrived, if the first-token write may not have landed yet. */
  firstTokenAt?: Date | null;
}

const ATTEMPT_TO_STATUS = {
  succeeded: "succeeded",
  incomplete: "incomplete",
  failed: "failed",
  cancelled: "cancelled",
  retried: "queued",
} as const satisfies Record<AttemptEnd["outcome"], JobStatus>;

const orNull = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));

/** One call of `JobsRepository.endAttempt`, stamped with when it was made. */
export interface AttemptEnding {
  id: string;
  attempt: number;
  end: AttemptEnd;
  at: Date;
}

/**
 * Ends attempts of distinct jobs in one statement (a lone one in its one-row form); each
 * gets its job's new row, or undefined when its attempt lost.
 */
export async function endAttempts(
  db: Kysely<Database>,
  endings: readonly AttemptEnding[],
): Promise<Array<JobRow | undefined>> {
  const column = <T>(pick: (ending: AttemptEnding) => T) => endings.map(pick);
  const statusOf = (ending: AttemptEnding) => ATTEMPT_TO_STATUS[ending.end.outcome];
  const columns = [
    column((e) => e.id),
    column((e) => e.attempt),
    column(statusOf),
    column((e) => e.at),
    column((e) => orNull(e.end.jobUsage)),
    column((e) => orNull(e.end.jobCost)),
    column((e) => e.end.jobCost?.total ?? null),
    column((e) => statusOf(e) !== "queued"),
    column((e) => orNull(e.end.output)),
    column((e) => orNull(e.end.error)),
    column((e) => e.end.incompleteReason ?? null),
    column((e) => e.end.firstTokenAt ?? null),
    column((e) => orNull(e.end.warnings)),
    column((e) => orNull(e.end.priceSnapshot)),
    column((e) => e.end.outcome),
    column((e) => orNull(e.end.usage)),
    column((e) => orNull(e.end.cost)),
    column((e) => e.end.cost?.total ?? null),
    column((e) => orNull(e.end.rawUsage)),
  ];
  const query =
    endings.length === 1
      ? CompiledQuery.raw(
          END_ATTEMPT_ONE,
          columns.map((values) => values[0]),
        )
      : CompiledQuery.raw(END_ATTEMPTS, columns);
  const { rows } = await db.executeQuery<JobRow>(query);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return endings.map((ending) => byId.get(ending.id));
}
