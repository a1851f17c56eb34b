import { newId } from "@reasonq/core";
import { type Kysely, sql } from "kysely";
import type { Database, JobRow, ProviderBatchCountsJson, ProviderBatchRow, ProviderBatchStatus } from "../schema.ts";

export interface EnlistInput {
  /** A job this delivery has claimed (status `running`). */
  job: Pick<JobRow, "id" | "attempts">;
  family: string;
  model: string;
  groupKey: string;
  /** The request's size, counted against the provider's limit. */
  bytes: number;
  /** How long a new row gathers jobs before it is submitted. */
  windowMs: number;
  maxRequests: number;
  maxBytes: number;
}

export interface PollRecord {
  providerStatus: string;
  counts: ProviderBatchCountsJson;
  nextPollAt: Date;
}

export interface BatchEnd {
  status: Extract<ProviderBatchStatus, "ended" | "cancelled" | "failed">;
  providerStatus?: string | null;
  counts?: ProviderBatchCountsJson | null;
  error?: string | null;
}

const OPEN: ProviderBatchStatus[] = ["gathering", "submitting", "in_progress"];
const json = (value: unknown): string => JSON.stringify(value);

/**
 * Provider batches, durable: a row gathers jobs of one family, model and group, records
 * the intent to submit before the provider is called, and keeps the provider's id and
 * state. Workers take a row with a lease (compare-and-set), so one advances it at a time
 * and a dead worker's row is taken over when the lease runs out.
 */
export class ProviderBatchesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Puts a claimed job into the open row for its family, model and group that still has
   * room, or into a new row that gathers for `windowMs`. A full row is submitted at once.
   */
  async enlist(input: EnlistInput): Promise<ProviderBatchRow | undefined> {
    return this.#db.transaction().execute(async (tx) => {
      // Joins to one group are serialised, so two workers never open two rows at once for it.
      await sql`select pg_advisory_xact_lock(hashtext(${`${input.family}\n${input.model}\n${input.groupKey}`}))`.execute(
        tx,
      );
      const now = new Date();
      const open = await tx
        .selectFrom("provider_batches")
        .selectAll()
        .where("family", "=", input.family)
        .where("model", "=", input.model)
        .where("group_key", "=", input.groupKey)
        .where("status", "=", "gathering")
        .where("gather_until", ">", now)
        .where("request_count", "<", input.maxRequests)
        .where(sql<boolean>`request_bytes + ${input.bytes} <= ${input.maxBytes}`)
        .orderBy("created_at")
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      const row =
        open ??
        (await tx
          .insertInto("provider_batches")
          .values({
            id: newId("providerBatch"),
            family: input.family,
            model: input.model,
            group_key: input.groupKey,
            status: "gathering",
            request_bytes: 0,
            gather_until: new Date(now.getTime() + input.windowMs),
          })
          .returningAll()
          .executeTakeFirstOrThrow());
      const joined = await tx
        .updateTable("jobs")
        .set({ provider_batch_id: row.id, updated_at: now })
        .where("id", "=", input.job.id)
        .where("status", "=", "running")
        .where("attempts", "=", input.job.attempts)
        .executeTakeFirst();
      if (joined.numUpdatedRows === 0n) return undefined;
      const full = row.request_count + 1 >= input.maxRequests;
      return tx
        .updateTable("provider_batches")
        .set((eb) => ({
          request_count: eb("request_count", "+", 1),
          request_bytes: sql`request_bytes + ${input.bytes}`,
          updated_at: now,
          ...(full ? { gather_until: now } : {}),
        }))
        .where("id", "=", row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /**
   * Takes up to `limit` rows with work due (a gathering window over, a submit to make or
   * finish, a poll due) that no live worker holds, leasing each for `leaseMs`.
   */
  async lease(leaseMs: number, limit: number, now = new Date()): Promise<ProviderBatchRow[]> {
    return this.#db
      .updateTable("provider_batches")
      .set({ lease_until: new Date(now.getTime() + leaseMs), updated_at: now })
      .where("id", "in", (eb) =>
        eb
          .selectFrom("provider_batches")
          .select("id")
          .where("status", "in", OPEN)
          .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", now)]))
          .where((w) =>
            w.or([
              w.and([w("status", "=", "gathering"), w("gather_until", "<=", now)]),
              w("status", "=", "submitting"),
              w.and([
                w("status", "=", "in_progress"),
                w.or([w("next_poll_at", "is", null), w("next_poll_at", "<=", now)]),
              ]),
            ]),
          )
          .orderBy("created_at")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /**
   * Takes a running job out of the provider batch it was in, so it can be queued for the
   * next one (its request failed retryably inside this batch). False when the job is no
   * longer running in that batch. A job that left and was not re-queued (the worker died)
   * is an ordinary stale running job again: the reconciler re-queues it.
   */
  async leave(jobId: string, providerBatchId: string): Promise<boolean> {
    const left = await this.#db
      .updateTable("jobs")
      .set({ provider_batch_id: null, updated_at: new Date() })
      .where("id", "=", jobId)
      .where("provider_batch_id", "=", providerBatchId)
      .where("status", "=", "running")
      .executeTakeFirst();
    return left.numUpdatedRows > 0n;
  }

  async release(id: string): Promise<void> {
    await this.#db.updateTable("provider_batches").set({ lease_until: null }).where("id", "=", id).execute();
  }

  /** The intent to submit, recorded before the provider is called (kept if already set). */
  async markSubmitting(id: string): Promise<ProviderBatchRow> {
    return this.#db
      .updateTable("provider_batches")
      .set((eb) => ({
        status: "submitting",
        submit_started_at: eb.fn.coalesce("submit_started_at", eb.val(new Date())),
        updated_at: new Date(),
      }))
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async markSubmitted(id: string, providerBatchId: string, nextPollAt: Date): Promise<ProviderBatchRow> {
    const now = new Date();
    return this.#db
      .updateTable("provider_batches")
      .set({
        status: "in_progress",
        provider_batch_id: providerBatchId,
        submitted_at: now,
        next_poll_at: nextPollAt,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async recordPoll(id: string, poll: PollRecord): Promise<void> {
    await this.#db
      .updateTable("provider_batches")
      .set((eb) => ({
        provider_status: poll.providerStatus,
        counts: json(poll.counts),
        polls: eb("polls", "+", 1),
        next_poll_at: poll.nextPollAt,
        updated_at: new Date(),
      }))
      .where("id", "=", id)
      .execute();
  }

  async markCancelSent(id: string): Promise<void> {
    await this.#db
      .updateTable("provider_batches")
      .set({ cancel_sent_at: new Date(), updated_at: new Date() })
      .where("id", "=", id)
      .execute();
  }

  async end(id: string, end: BatchEnd): Promise<void> {
    const now = new Date();
    await this.#db
      .updateTable("provider_batches")
      .set({
        status: end.status,
        ended_at: now,
        updated_at: now,
        lease_until: null,
        ...(end.providerStatus === undefined ? {} : { provider_status: end.providerStatus }),
        ...(end.counts == null ? {} : { counts: json(end.counts) }),
        ...(end.error === undefined ? {} : { error: end.error }),
      })
      .where("id", "=", id)
      .execute();
  }

  async get(id: string): Promise<ProviderBatchRow | undefined> {
    return this.#db.selectFrom("provider_batches").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** The jobs in a provider batch, in id order (the order they were sent in). */
  async jobsOf(id: string): Promise<JobRow[]> {
    return this.#db.selectFrom("jobs").selectAll().where("provider_batch_id", "=", id).orderBy("id").execute();
  }

  /** The cost of an evaluation batch's jobs that ran through provider batches, per family. */
  async costsOfBatch(batchId: string): Promise<Array<{ family: string; cost: string }>> {
    const rows = await this.#db
      .selectFrom("jobs")
      .select((eb) => ["provider as family", eb.fn.sum<string>(sql`cost_total::numeric`).as("cost")])
      .where("batch_id", "=", batchId)
      .where("provider_batch_id", "is not", null)
      .where("cost_total", "is not", null)
      .groupBy("provider")
      .orderBy("provider")
      .execute();
    return rows.map((r) => ({ family: r.family, cost: String(r.cost) }));
  }

  /** Provider batch ids already recorded for a family (what an interrupted submit must not adopt). */
  async knownProviderIds(family: string): Promise<Set<string>> {
    const rows = await this.#db
      .selectFrom("provider_batches")
      .select("provider_batch_id")
      .where("family", "=", family)
      .where("provider_batch_id", "is not", null)
      .execute();
    return new Set(rows.flatMap((r) => (r.provider_batch_id === null ? [] : [r.provider_batch_id])));
  }
}
