import type { JobError } from "@reasonq/core";
import { CompiledQuery, type Kysely } from "kysely";
import { preparedStatement } from "../drivers/prepared-statements.ts";
import type { Database, JobRow } from "../schema.ts";
import { JOB_COLUMNS } from "./job-columns.ts";

export type ClaimResult =
  | { kind: "claimed"; job: JobRow }
  /** Cancelled while queued or while its previous holder died: nothing to run. */
  | { kind: "cancelled"; job: JobRow }
  /** Terminal, or held by a live delivery: a duplicate, do nothing. */
  | { kind: "skipped"; job: JobRow | undefined };

const CANCELLED_ERROR = JSON.stringify({ type: "job_cancelled", message: "the job was cancelled" } satisfies JobError);

/**
 * One statement, one round trip: the UPDATEs' WHERE clauses are the compare-and-set
 * (PostgreSQL re-checks them against a row a concurrent claim changed), a takeover marks
 * the earlier attempt lost, and the claimed attempt's ledger row is inserted with it.
 * $1 job id, $2 delivery, $3 now, $4 the cancelled job's error.
 */
const CLAIM = preparedStatement(
  "reasonq_claim_job",
  `
  with claimed as (
    update jobs set status = 'running', attempts = attempts + 1, delivery = $2::int,
      started_at = coalesce(started_at, $3::timestamptz), updated_at = $3::timestamptz
    where id = $1 and cancel_requested_at is null
      and (status = 'queued' or (status = 'running' and delivery < $2::int))
    returning *
  ), cancelled as (
    update jobs set status = 'cancelled', completed_at = $3::timestamptz, updated_at = $3::timestamptz,
      error = $4::jsonb
    where id = $1 and cancel_requested_at is not null
      and (status = 'queued' or (status = 'running' and delivery < $2::int))
    returning *
  ), lost as (
    update job_attempts set outcome = 'lost', ended_at = $3::timestamptz
    where job_id = $1 and outcome = 'running'
      and (exists (select 1 from claimed) or exists (select 1 from cancelled))
  ), attempt as (
    insert into job_attempts (job_id, attempt, delivery, outcome, started_at)
    select id, attempts, $2::int, 'running', $3::timestamptz from claimed
  )
  select 'claimed' as claim, ${JOB_COLUMNS} from claimed
  union all select 'cancelled' as claim, ${JOB_COLUMNS} from cancelled
  union all select 'skipped' as claim, ${JOB_COLUMNS} from jobs
    where id = $1 and not exists (select 1 from claimed) and not exists (select 1 from cancelled)`,
);

/** The compare-and-set that makes a delivery the job's only runner (see `JobsRepository.claim`). */
export async function claimJob(db: Kysely<Database>, id: string, delivery: number): Promise<ClaimResult> {
  const { rows } = await db.executeQuery<JobRow & { claim: "claimed" | "cancelled" | "skipped" }>(
    CompiledQuery.raw(CLAIM, [id, delivery, new Date(), CANCELLED_ERROR]),
  );
  const row = rows[0];
  if (row === undefined) return { kind: "skipped", job: undefined };
  const { claim, ...job } = row;
  return { kind: claim, job } as ClaimResult;
}
