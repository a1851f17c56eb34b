import type { JobError } from "@reasonq/core";
import { CompiledQuery, type Kysely } from "kysely";
import type { Database, JobRow } from "../schema.ts";
import { CLAIM } from "./job-statements.ts";

export type ClaimResult =
  | { kind: "claimed"; job: JobRow }
  /** Cancelled while queued or while its previous holder died: nothing to run. */
  | { kind: "cancelled"; job: JobRow }
  /** Terminal, or held by a live delivery: a duplicate, do nothing. */
  | { kind: "skipped"; job: JobRow | undefined };

const CANCELLED_ERROR = JSON.stringify({ type: "job_cancelled", message: "the job was cancelled" } satisfies JobError);

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
