import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "@reasonq/core";
import { channels, createRedis, ready } from "@reasonq/queue";
import { createStore, type Store } from "@reasonq/store";
import { dataDir } from "../runtime.ts";
import { formatTable } from "../table.ts";

const LOCK = "serve.pid";

/** `serve` holds the embedded database; another process must not open it meanwhile. */
export function holdEmbeddedDatabase(config: Config): () => void {
  if (config.DATABASE_URL !== undefined) return () => {};
  const path = join(dataDir(config), LOCK);
  writeFileSync(path, String(process.pid));
  return () => rmSync(path, { force: true });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function openStore(config: Config): Promise<Store> {
  if (config.DATABASE_URL !== undefined) return createStore({ kind: "postgres", url: config.DATABASE_URL });
  const lock = join(dataDir(config), LOCK);
  if (existsSync(lock) && running(Number(readFileSync(lock, "utf8")))) {
    throw new Error(
      "reasonq serve is running on the embedded database; stop it first (the embedded database belongs to one process)",
    );
  }
  return createStore({ kind: "pglite", dataDir: join(dataDir(config), "db") });
}

/**
 * `reasonq keys create|list|revoke|cap`: administers API keys directly in the database
 * (PostgreSQL via DATABASE_URL, or the embedded one when `serve` is not running).
 */
export async function keys(
  config: Config,
  action: string,
  args: string[],
  options: { name?: string; spendCap?: string },
  out: (line: string) => void,
) {
  const store = await openStore(config);
  try {
    switch (action) {
      case "create": {
        const { key, apiKey } = await store.apiKeys.create(options.name ?? "created by reasonq keys");
        if (options.spendCap !== undefined) await store.apiKeys.setSpendCap(apiKey.id, options.spendCap);
        out(`${apiKey.id}  (shown once)\n${key}`);
        return;
      }
      case "list": {
        const rows = (await store.apiKeys.list()).map((k) => [
          k.id,
          k.name,
          `${k.key_prefix}…`,
          k.created_at.toISOString().slice(0, 19),
          k.revoked_at === null ? "active" : "revoked",
          k.spend_cap_usd === null ? "–" : `$${k.spend_cap_usd}`,
        ]);
        out(formatTable(["id", "name", "key", "created", "state", "spend cap"], rows));
        return;
      }
      case "revoke": {
        const [id] = args;
        if (id === undefined) throw new Error("usage: reasonq keys revoke <key id>");
        const revoked = await store.apiKeys.revoke(id);
        out(revoked ? `revoked ${id}` : `no active key ${id}`);
        if (revoked) await announceKeyChange(config, id, out);
        return;
      }
      case "cap": {
        const [id, cap] = args;
        if (id === undefined || cap === undefined) throw new Error("usage: reasonq keys cap <key id> <usd|none>");
        const set = await store.apiKeys.setSpendCap(id, cap === "none" ? null : cap);
        out(set ? `spend cap of ${id}: ${cap === "none" ? "none" : `$${cap}`}` : `no key ${id}`);
        if (set) await announceKeyChange(config, id, out);
        return;
      }
      default:
        throw new Error(`unknown keys action "${action}": create, list, revoke or cap`);
    }
  } finally {
    await store.close();
  }
}

/** API processes keep keys in memory; this tells them to read this one again. */
async function announceKeyChange(config: Config, id: string, out: (line: string) => void): Promise<void> {
  // An unreachable Redis is reported once below, not as connection errors.
  const redis = createRedis(config.REDIS_URL, "producer", { onError: () => {} });
  try {
    await ready(redis, 2000);
    await redis.publish(channels(config.REASONQ_QUEUE_PREFIX).apiKeys, id);
  } catch {
    out("(Redis did not answer: running API processes see the change within 30 seconds)");
  } finally {
    redis.disconnect();
  }
}
