import { startApi } from "@reasonq/api";
import type { Config } from "@reasonq/core";
import { startWorker } from "@reasonq/worker";
import { readCredentials, writeCredentials } from "../credentials.ts";
import { ensureRedis } from "../embedded-redis.ts";
import { dataDir, type Env, Lifecycle, openRuntime } from "../runtime.ts";
import { holdEmbeddedDatabase } from "./keys.ts";

/**
 * The embedded default: API and worker in one process, PGlite under the data directory
 * (unless DATABASE_URL is set), and a Redis of its own when none answers.
 */
export async function serve(config: Config, env: Env, out: (line: string) => void): Promise<void> {
  const lifecycle = new Lifecycle();
  const dir = dataDir(config);
  const redis = await ensureRedis(config.REDIS_URL, dir);
  if (redis.stop !== undefined) lifecycle.add("redis", redis.stop);
  const runtime = await openRuntime(config, "reasonq", env);
  lifecycle.add("lock", async () => release());
  const release = holdEmbeddedDatabase(config);
  const { store, logger } = runtime;
  lifecycle.useLogger(logger);
  lifecycle.add("database", () => store.close());
  if (redis.stop !== undefined) logger.info({ dir }, "started an embedded redis-server");

  let key: string | undefined;
  let created = false;
  if (config.REASONQ_API_KEYS.length === 0) {
    const saved = readCredentials(dir);
    if (saved !== undefined && (await store.apiKeys.authenticate(saved.api_key)) !== null) {
      key = saved.api_key;
    } else {
      key = (await store.apiKeys.create("created by reasonq serve")).key;
      created = true;
    }
  }

  const worker = await startWorker(runtime);
  lifecycle.add("worker", () => worker.close());
  const api = await startApi(runtime);
  lifecycle.add("api", () => api.close());
  let credentialsFile: string | undefined;
  if (key !== undefined) credentialsFile = writeCredentials(dir, { url: api.url, api_key: key });

  out(`reasonq is listening on ${api.url} (database: ${store.kind}, redis: ${redis.url})`);
  out(`Web console: ${api.url}/ (sign in with the API key)`);
  if (created) out(`API key (shown once, also saved to ${credentialsFile}):\n  ${key}`);
  else if (credentialsFile !== undefined) out(`API key: saved in ${credentialsFile}`);
  out(`Try: npx --yes pnpm@10 reasonq submit "What is 17*23?" --wait 30`);
}
