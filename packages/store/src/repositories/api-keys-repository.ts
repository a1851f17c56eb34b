import { createHash, randomBytes } from "node:crypto";
import { newId } from "@reasonq/core";
import type { Kysely } from "kysely";
import type { ApiKeyRow, Database } from "../schema.ts";

/** Keys are high-entropy random strings, so one SHA-256 is enough; a slow KDF would buy nothing. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return `rq_${randomBytes(32).toString("base64url")}`;
}

const SPEND_CAP = /^\d+(\.\d+)?$/;

export type ApiKeySummary = Omit<ApiKeyRow, "key_hash">;

export class ApiKeysRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Registers a key given in configuration; registering it again changes nothing. */
  async register(key: string, name: string): Promise<ApiKeySummary> {
    const keyHash = hashApiKey(key);
    await this.#db
      .insertInto("api_keys")
      .values({ id: newId("apiKey"), name, key_hash: keyHash, key_prefix: key.slice(0, 7) })
      .onConflict((oc) => oc.column("key_hash").doNothing())
      .execute();
    const row = await this.#db
      .selectFrom("api_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .executeTakeFirstOrThrow();
    return withoutHash(row);
  }

  /** Creates a fresh key; the plaintext is returned once and never stored. */
  async create(name: string): Promise<{ key: string; apiKey: ApiKeySummary }> {
    const key = generateApiKey();
    return { key, apiKey: await this.register(key, name) };
  }

  async authenticate(key: string): Promise<ApiKeySummary | null> {
    return this.authenticateHash(hashApiKey(key));
  }

  /** The active key with this hash (`hashApiKey`), for callers that hashed it already. */
  async authenticateHash(keyHash: string): Promise<ApiKeySummary | null> {
    const row = await this.#db
      .selectFrom("api_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return row === undefined ? null : withoutHash(row);
  }

  /** A key by id, revoked or not (a job outlives its key's revocation). */
  async get(id: string): Promise<ApiKeySummary | undefined> {
    const row = await this.#db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : withoutHash(row);
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.#db.selectFrom("api_keys").selectAll().orderBy("id", "desc").execute();
    return rows.map(withoutHash);
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.#db
      .updateTable("api_keys")
      .set({ revoked_at: new Date() })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Sets the most the key may spend, in USD as a decimal string ("25", "0.50"), or removes
   * the cap with null. Returns false when there is no such key.
   */
  async setSpendCap(id: string, cap: string | null): Promise<boolean> {
    if (cap !== null && !SPEND_CAP.test(cap)) {
      throw new RangeError(
        `a spend cap must be a non-negative decimal amount such as "25.00", got ${JSON.stringify(cap)}`,
      );
    }
    const result = await this.#db
      .updateTable("api_keys")
      .set({ spend_cap_usd: cap })
      .where("id", "=", id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom("api_keys")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function withoutHash(row: ApiKeyRow): ApiKeySummary {
  const { key_hash: _hidden, ...rest } = row;
  return rest;
}
