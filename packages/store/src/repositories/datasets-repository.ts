import type { Kysely } from "kysely";
import type { Database, DatasetRow } from "../schema.ts";

export interface DatasetItemInput {
  item_id: string;
  item: Record<string, unknown>;
}

/** Rows per INSERT: large enough to be fast, small enough for PostgreSQL's parameter limit. */
const INSERT_CHUNK = 500;

export class DatasetsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Stores a dataset from items that arrive in chunks (an upload is parsed as it streams),
   * all in one transaction: a failed upload leaves nothing behind.
   */
  async create(
    dataset: { id: string; api_key_id: string; name: string; format: DatasetRow["format"] },
    chunks: AsyncIterable<DatasetItemInput[]> | Iterable<DatasetItemInput[]>,
  ): Promise<DatasetRow> {
    return this.#db.transaction().execute(async (tx) => {
      await tx
        .insertInto("datasets")
        .values({ ...dataset, item_count: 0 })
        .execute();
      let idx = 0;
      for await (const chunk of chunks) {
        for (let i = 0; i < chunk.length; i += INSERT_CHUNK) {
          const rows = chunk.slice(i, i + INSERT_CHUNK).map((entry) => ({
            dataset_id: dataset.id,
            idx: idx++,
            item_id: entry.item_id,
            item: JSON.stringify(entry.item),
          }));
          await tx.insertInto("dataset_items").values(rows).execute();
        }
      }
      return tx
        .updateTable("datasets")
        .set({ item_count: idx })
        .where("id", "=", dataset.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async get(id: string, apiKeyId: string): Promise<DatasetRow | undefined> {
    return this.#db
      .selectFrom("datasets")
      .selectAll()
      .where("id", "=", id)
      .where("api_key_id", "=", apiKeyId)
      .executeTakeFirst();
  }

  /** Items by position, for fan-out and reports. */
  async items(
    datasetId: string,
    fromIdx: number,
    toIdx: number,
  ): Promise<Array<{ idx: number; item_id: string; item: Record<string, unknown> }>> {
    return this.#db
      .selectFrom("dataset_items")
      .select(["idx", "item_id", "item"])
      .where("dataset_id", "=", datasetId)
      .where("idx", ">=", fromIdx)
      .where("idx", "<", toIdx)
      .orderBy("idx")
      .execute();
  }
}
