import type { JobRow, Store } from "@reasonq/store";
import { admitUnderCap, needsAdmission, type PlannedJob } from "./plan-job.ts";

/**
 * Inserts a planned job. When its key has a spend cap the row goes in only after the cap
 * has seen what the key spent and holds, under a lock per key, so two jobs at once cannot
 * both fit under a cap only one fits under (`budget_exceeded` otherwise).
 */
export async function storePlannedJob(store: Store, planned: PlannedJob): Promise<{ job: JobRow; created: boolean }> {
  if (!needsAdmission(planned)) return store.jobs.create(planned.row);
  return store.jobs.createAdmitted(planned.row, (committed) => admitUnderCap(planned, committed));
}
