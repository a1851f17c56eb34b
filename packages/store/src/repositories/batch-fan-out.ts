import { type Kysely, sql, type Transaction } from "kysely";
import type { BatchRow, Database } from "../schema.ts";
import type { NewJob } from "./jobs-repository.ts";
import { settle } from "./settle-batch.ts";
import { UsageRepository } from "./usage-repository.ts";

/** A grid position: ordinal = (item × variants + variant) × repeats + repeat. */
export interface GridCell {
  ordinal: number;
  itemIdx: number;
  itemId: string;
  item: Record<string, unknown>;
  variantIdx: number;
  repeat: number;
}

/**
 * What fan-out makes of a cell: the job, and the money it reserves against the batch
 * budget until it ends; or a stop, because the batch budget (`budget`) or the key's spend
 * cap (`spend_cap`) has no room for it.
 */
export type CellPlan = { job: NewJob; reservedUsd: string } | { stop: BudgetStop };
export type BudgetStop = "budget" | "spend_cap";

/** What the batch's key has spent and holds in unfinished jobs, read under the key's lock. */
export interface KeyCommitted {
  spendCapUsd: string;
  spent: string;
  reserved: string;
}

/**
 * Plans one cell. `billedInFlight` is what the batch's unfinished jobs' earlier attempts
 * were billed (a retried job's first attempt), which `spent_usd` counts only once they
 * end; "0" for a batch without a budget, where it is not read.
 */
export type CellPlanner = (
  cell: GridCell,
  batch: BatchRow,
  key: KeyCommitted | null,
  billedInFlight: string,
) => CellPlan;

export interface FanOutResult {
  created: Array<{ id: string; provider: string }>;
  /** Jobs created so far and the grid size, after this step. */
  createdJobs: number;
  totalJobs: number;
  stopped: boolean;
  /** The budget has no room until jobs in flight end; they ask for the next step. */
  paused?: boolean;
  /** The batch, when this step ended it (it stopped with nothing in flight). */
  ended?: BatchRow;
}

/**
 * Creates the next jobs of the grid, at most `chunk` and never more than `maxInFlight`
 * unfinished, in one transaction with the batch row locked, so concurrent fan-out steps
 * cannot create a cell twice. `plan` turns a cell into a job; when it says the budget or
 * the key's spend cap has no room, the step ends, and the batch stops for good (ending
 * when its last job ends, `stop_reason` naming which) only when no job is in flight to
 * free any. When the batch's key has a spend cap, the step holds the key's lock (the one
 * single submits take) and `plan` gets what the key has spent and reserved at its start.
 */
export async function fanOutBatch(
  db: Kysely<Database>,
  batchId: string,
  options: { chunk: number; maxInFlight: number },
  plan: CellPlanner,
): Promise<FanOutResult> {
  return db.transaction().execute(async (tx) => {
    const batch = await tx.selectFrom("batches").selectAll().where("id", "=", batchId).forUpdate().executeTakeFirst();
    if (batch === undefined) return { created: [], createdJobs: 0, totalJobs: 0, stopped: true };
    const done = { created: [], createdJobs: batch.created_jobs, totalJobs: batch.total_jobs };
    if (batch.status !== "running" || batch.stop_reason !== null) return { ...done, stopped: true };
    const inFlight = batch.created_jobs - batch.finished_jobs;
    const count = Math.min(options.chunk, batch.total_jobs - batch.created_jobs, options.maxInFlight - inFlight);
    if (count <= 0) return { ...done, stopped: batch.created_jobs >= batch.total_jobs };
    const key = await keyCommitted(tx, batch.api_key_id);
    const billedInFlight = batch.max_cost_usd === null ? "0" : await billedToUnfinishedJobs(tx, batchId);

    const perItem = batch.variant_count * batch.repeats;
    const first = batch.created_jobs;
    const firstItem = Math.floor(first / perItem);
    const lastItem = Math.floor((first + count - 1) / perItem);
    const items = await tx
      .selectFrom("dataset_items")
      .select(["idx", "item_id", "item"])
      .where("dataset_id", "=", batch.dataset_id)
      .where("idx", ">=", firstItem)
      .where("idx", "<=", lastItem)
      .orderBy("idx")
      .execute();
    const byIdx = new Map(items.map((row) => [row.idx, row]));

    const planned: Array<{ job: NewJob; reservedUsd: string; cell: GridCell }> = [];
    let stopped = false;
    let paused = false;
    let stopReason: BudgetStop = "budget";
    for (let ordinal = first; ordinal < first + count; ordinal++) {
      const itemIdx = Math.floor(ordinal / perItem);
      const row = byIdx.get(itemIdx);
      if (row === undefined) throw new Error(`dataset ${batch.dataset_id} has no item ${itemIdx}`);
      const within = ordinal % perItem;
      const cell: GridCell = {
        ordinal,
        itemIdx,
        itemId: row.item_id,
        item: row.item,
        variantIdx: Math.floor(within / batch.repeats),
        repeat: within % batch.repeats,
      };
      const plannedCell = plan(cell, batch, key, billedInFlight);
      if ("stop" in plannedCell) {
        stopped = inFlight + planned.length === 0;
        paused = !stopped;
        stopReason = plannedCell.stop;
        break;
      }
      planned.push({ ...plannedCell, cell });
    }
    // The step's jobs and results go in one statement each, not three round trips per job:
    // the step holds the batch row locked, and every job of the batch that ends meanwhile
    // waits for it (holding a pooled connection) to be counted in.
    if (planned.length > 0) {
      await tx
        .insertInto("jobs")
        .values(
          planned.map(({ job }) => ({
            ...job,
            status: "queued" as const,
            spec: JSON.stringify(job.spec),
            resolved_params: JSON.stringify(job.resolved_params),
            prepared_request: JSON.stringify(job.prepared_request),
            metadata: JSON.stringify(job.metadata),
            warnings: JSON.stringify(job.warnings),
          })),
        )
        .execute();
      await tx
        .insertInto("batch_results")
        .values(
          planned.map(({ job, reservedUsd, cell }) => ({
            job_id: job.id,
            batch_id: batchId,
            ordinal: cell.ordinal,
            item_idx: cell.itemIdx,
            item_id: cell.itemId,
            variant_idx: cell.variantIdx,
            repeat: cell.repeat,
            reserved_usd: reservedUsd,
          })),
        )
        .execute();
    }
    const created = planned.map(({ job }) => ({ id: job.id, provider: job.provider }));
    const createdJobs = first + created.length;
    // The money reserved is summed by the database from the rows just written: exact decimals.
    await tx
      .updateTable("batches")
      .set((eb) => ({
        created_jobs: createdJobs,
        updated_at: new Date(),
        reserved_usd: eb(
          "reserved_usd",
          "+",
          eb
            .selectFrom("batch_results")
            .select((r) => r.fn.coalesce(r.fn.sum<string>("reserved_usd"), sql<string>`0`).as("sum"))
            .where("batch_id", "=", batchId)
            .where("ordinal", ">=", first)
            .where("ordinal", "<", createdJobs),
        ),
        ...(stopped ? { stop_reason: stopReason } : {}),
      }))
      .where("id", "=", batchId)
      .execute();
    const ended = stopped ? await settle(tx, batchId) : undefined;
    return {
      created,
      createdJobs,
      totalJobs: batch.total_jobs,
      stopped,
      paused,
      ...(ended?.completed_at == null ? {} : { ended }),
    };
  });
}

/** The key's money when it has a spend cap, read under the lock single submits take (`createAdmitted`). */
async function keyCommitted(tx: Transaction<Database>, apiKeyId: string): Promise<KeyCommitted | null> {
  const key = await tx.selectFrom("api_keys").select("spend_cap_usd").where("id", "=", apiKeyId).executeTakeFirst();
  if (key === undefined || key.spend_cap_usd === null) return null;
  await sql`select pg_advisory_xact_lock(hashtext(${apiKeyId}))`.execute(tx);
  const usage = new UsageRepository(tx);
  return { spendCapUsd: key.spend_cap_usd, ...(await usage.committedBy(apiKeyId)) };
}

async function billedToUnfinishedJobs(tx: Transaction<Database>, batchId: string): Promise<string> {
  const row = await tx
    .selectFrom("jobs")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("cost_total"), sql<string>`0`).as("billed"))
    .where("batch_id", "=", batchId)
    .where("status", "in", ["queued", "running"])
    .executeTakeFirstOrThrow();
  return String(row.billed);
}
