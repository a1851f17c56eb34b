import { dropSchema, postgresOptions } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { createStore } from "./create-store.ts";

describe("migrations", () => {
  it("are safe when several processes open a fresh database at once", async () => {
    const options = postgresOptions();
    try {
      const stores = await Promise.all([1, 2, 3, 4].map(() => createStore(options)));
      for (const store of stores) await store.ping();
      const applied = await stores[0]?.db
        .selectFrom("kysely_migration" as never)
        .selectAll()
        .execute();
      expect(applied?.length).toBeGreaterThanOrEqual(3);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(options.schema);
    }
  });
});
