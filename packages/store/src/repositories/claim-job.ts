import type { JobError } from "@reasonq/core";
import { type Kysely, sql } from "kysely";
import type { Database, JobRow } from "../schema.ts";

export type ClaimResult =
  | { kind: "claimed"; job: JobRow }
  /** Cancelled while queued or while its previous holder died: nothing to run. */
  | { kind: "cancelled"; job: JobRow }
  /** Terminal, or held by a live delivery: a duplicate, do nothing. */
  | { kind: "skipped"; job: JobRow | undefined };

/**
 * The compare-and-set that makes a delivery the job's only runner, as one statement (see
 * `JobsRepository.claim`).
 */
export async function claimJob(db: Kysely<Database>, id: string, delivery: number): Promise<ClaimResult> {
  // One statement, one round trip: the UPDATEs' WHERE clauses are the compare-and-set
  // (PostgreSQL re-checks them against a row a concurrent claim changed), a takeover marks
  // the earlier attempt lost, and the claimed attempt's ledger row is inserted with it.
  const now = new Date();
  const cancelledError = JSON.stringify({ type: "job_cancelled", message: "the job was cancelled" } satisfies JobError);
  const claimable = sql`(status = 'queued' or (status = 'running' and delivery < ${delivery}))`;
  const { rows } = await sql<JobRow & { claim: "claimed" | "cancelled" | "skipped" }>`
    with claimed as (
      update jobs set status = 'running', attempts = attempts + 1, delivery = ${delivery},
        started_at = coalesce(started_at, ${now}), updated_at = ${now}
      where id = ${id} and cancel_requested_at is null and ${claimable}
      returning *
    ), cancelled as (
      update jobs set status = 'cancelled', completed_at = ${now}, updated_at = ${now}, error = ${cancelledError}
      where id = ${id} and cancel_requested_at is not null and ${claimable}
      returning *
    ), lost as (
      update job_attempts set outcome = 'lost', ended_at = ${now}
      where job_id = ${id} and outcome = 'running'
        and (exists (select 1 from claimed) or exists (select 1 from cancelled))
    ), attempt as (
      insert into job_attempts (job_id, attempt, delivery, outcome, started_at)
      select id, attempts, ${delivery}, 'running', ${now} from claimed
    )
    select 'claimed' as claim, * from claimed
    union all select 'cancelled' as claim, * from cancelled
    union all select 'skipped' as claim, * from jobs
      where id = ${id} and not exists (select 1 from claimed) and not exists (select 1 from cancelled)
  `.execute(db);
  const row = rows[0];
  if (row === undefined) return { kind: "skipped", job: undefined };
  const { claim, ...job } = row;
  return { kind: claim, job } as ClaimResult;
}
