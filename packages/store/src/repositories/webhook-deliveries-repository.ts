import { TERMINAL_STATUSES, type WebhookAttempt, type WebhookDelivery } from "@reasonq/core";
import { type Kysely, sql } from "kysely";
import type { Database, WebhookDeliveryRow } from "../schema.ts";

const LOOKBACK_MS = 3600_000;

export interface NewDelivery {
  id: string;
  api_key_id: string;
  event: string;
  url: string;
}

export class WebhookDeliveriesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Idempotent: the id is the subject's, so a second create for the same event changes nothing. */
  async create(delivery: NewDelivery): Promise<void> {
    await this.#db
      .insertInto("webhook_deliveries")
      .values(delivery)
      .onConflict((c) => c.column("id").doNothing())
      .execute();
  }

  async get(id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.#db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** One POST tried, appended to the row; `status` is the state it leaves the delivery in. */
  async recordAttempt(id: string, attempt: WebhookAttempt, status: WebhookDelivery["status"]): Promise<void> {
    await this.#db
      .updateTable("webhook_deliveries")
      .set({
        status,
        attempts: sql`attempts || ${JSON.stringify([attempt])}::jsonb` as never,
        updated_at: sql`now()`,
      })
      .where("id", "=", id)
      .execute();
  }

  /** Pending deliveries untouched for a while: their queue entry may be lost with Redis. */
  async stalePending(olderThan: Date, limit = 500): Promise<WebhookDeliveryRow[]> {
    return this.#db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where("updated_at", "<", olderThan)
      .orderBy("created_at")
      .limit(limit)
      .execute();
  }

  /**
   * Finished jobs with a webhook_url and no delivery row: ended where no worker could
   * record it (a cancel answered by the API, a process that died in between). Only the
   * last hour before `endedBefore` is searched: it bounds the scan, and jobs that ended
   * long ago (before webhooks were sent at all) are not called back out of the blue.
   */
  async jobsMissingDelivery(endedBefore: Date, limit = 500) {
    return this.#db
      .selectFrom("jobs")
      .leftJoin("webhook_deliveries", "webhook_deliveries.id", "jobs.id")
      .select(["jobs.id", "jobs.api_key_id", sql<string>`jobs.spec->>'webhook_url'`.as("url")])
      .where(sql<boolean>`jobs.spec ? 'webhook_url'`)
      .where("jobs.status", "in", [...TERMINAL_STATUSES])
      .where("jobs.completed_at", "<", endedBefore)
      .where("jobs.completed_at", ">", new Date(endedBefore.getTime() - LOOKBACK_MS))
      .where("webhook_deliveries.id", "is", null)
      .limit(limit)
      .execute();
  }
}

/** The API's view of a delivery row; null when there is none (no webhook_url, or the job has not ended). */
export function toWebhookDelivery(row: WebhookDeliveryRow | undefined): WebhookDelivery | null {
  if (row === undefined) return null;
  return { id: row.id, url: row.url, event: row.event, status: row.status, attempts: row.attempts };
}
