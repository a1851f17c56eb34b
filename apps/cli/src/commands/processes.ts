import { startApi } from "@reasonq/api";
import type { Config } from "@reasonq/core";
import { startWorker } from "@reasonq/worker";
import { type Env, Lifecycle, openRuntime } from "../runtime.ts";

/** Separate processes share one database, which the embedded one cannot be. */
function requireDatabaseUrl(config: Config, command: string): void {
  if (config.DATABASE_URL === undefined) {
    throw new Error(
      `reasonq ${command} runs beside other processes and needs DATABASE_URL=postgres://… ` +
        "(the embedded database belongs to a single process: use `reasonq serve` for that)",
    );
  }
}

export async function api(config: Config, env: Env, out: (line: string) => void): Promise<void> {
  requireDatabaseUrl(config, "api");
  const lifecycle = new Lifecycle();
  const runtime = await openRuntime(config, "api", env);
  lifecycle.useLogger(runtime.logger);
  lifecycle.add("database", () => runtime.store.close());
  const running = await startApi(runtime);
  lifecycle.add("api", () => running.close());
  out(`reasonq api listening on ${running.url}`);
}

export async function worker(config: Config, env: Env): Promise<void> {
  requireDatabaseUrl(config, "worker");
  const lifecycle = new Lifecycle();
  const runtime = await openRuntime(config, "worker", env);
  lifecycle.useLogger(runtime.logger);
  lifecycle.add("database", () => runtime.store.close());
  const running = await startWorker(runtime);
  lifecycle.add("worker", () => running.close());
}
