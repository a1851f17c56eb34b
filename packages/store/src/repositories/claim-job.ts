import type { JobError } from "@reasonq/core";
import { CompiledQuery, type Kysely } from "kysely";
import type { Database, JobRow } from "../schema.ts";
import { CLAIM, CLAIM_ONE } from "./job-statements.ts";

export type ClaimResult =
  | { kind: "claimed"; job: JobRow }
  /** Cancelled while queued or while its previous holder died: nothing to run. */
  | { kind: "cancelled"; job: JobRow }
  /** Terminal, or held by a live delivery: a duplicate, do nothing. */
  | { kind: "skipped"; job: JobRow | undefined };

const CANCELLED_ERROR = JSON.stringify({ type: "job_cancelled", message: "the job was cancelled" } satisfies JobError);

/** A delivery of a job to claim: see `JobsRepository.claim`. */
export interface Claim {
  id: string;
  delivery: number;
}

/** The compare-and-sets that make each delivery its job's only runner, for distinct jobs at once. */
export async function claimJobs(db: Kysely<Database>, claims: readonly Claim[]): Promise<ClaimResult[]> {
  const [lone] = claims;
  const query =
    claims.length === 1 && lone !== undefined
      ? CompiledQuery.raw(CLAIM_ONE, [lone.id, lone.delivery, new Date(), CANCELLED_ERROR])
      : CompiledQuery.raw(CLAIM, [claims.map((c) => c.id), claims.map((c) => c.delivery), new Date(), CANCELLED_ERROR]);
  const { rows } = await db.executeQuery<JobRow & { claim: "claimed" | "cancelled" | "skipped" }>(query);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return claims.map((c): ClaimResult => {
    const row = byId.get(c.id);
    if (row === undefined) return { kind: "skipped", job: undefined };
    const { claim, ...job } = row;
    return { kind: claim, job };
  });
}
