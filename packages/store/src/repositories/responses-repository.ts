import type { StoredResponseRequest } from "@reasonq/core";
import type { Kysely } from "kysely";
import type { Database, JobRow, ResponseRow } from "../schema.ts";

export interface ResponseWithJob {
  response: ResponseRow;
  job: JobRow;
}

/** The Responses surface's record of a job (same id); the job row stays the truth of the run. */
export class ResponsesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Records the response of a job just created; a repeated Idempotency-Key finds it already there. */
  async create(id: string, apiKeyId: string, request: StoredResponseRequest): Promise<void> {
    await this.#db
      .insertInto("responses")
      .values({ id, api_key_id: apiKeyId, request: JSON.stringify(request), stored: request.store })
      .onConflict((c) => c.column("id").doNothing())
      .execute();
  }

  /** The key's stored, undeleted response with its job; anything else reads as absent. */
  async get(id: string, apiKeyId: string): Promise<ResponseWithJob | undefined> {
    const response = await this.#db
      .selectFrom("responses")
      .selectAll()
      .where("id", "=", id)
      .where("api_key_id", "=", apiKeyId)
      .where("stored", "=", true)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (response === undefined) return undefined;
    const job = await this.#db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return job === undefined ? undefined : { response, job };
  }

  /** Hides the response from the Responses surface; its job and ledger rows stay (they are billing history). */
  async delete(id: string, apiKeyId: string): Promise<boolean> {
    const result = await this.#db
      .updateTable("responses")
      .set({ deleted_at: new Date() })
      .where("id", "=", id)
      .where("api_key_id", "=", apiKeyId)
      .where("stored", "=", true)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
