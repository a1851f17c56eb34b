import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRedis, ready } from "@reasonq/queue";

export interface RedisHandle {
  url: string;
  /** Set when this process started the server and must stop it. */
  stop?: () => Promise<void>;
}

export const NO_REDIS_HELP = [
  "reasonq needs Redis and none answers at REDIS_URL, and no redis-server is on the PATH.",
  "Either start one (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`;",
  "Docker: `docker run -p 6379:6379 redis:7`) or point REDIS_URL at an existing Redis or Valkey.",
].join("\n");

async function answers(url: string): Promise<boolean> {
  const probe = createRedis(url, "producer", { lazyConnect: true, retryStrategy: () => null, onError: () => {} });
  try {
    await probe.connect();
    await ready(probe, 2000);
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * The Redis at REDIS_URL when one answers; else a `redis-server` from the PATH, started
 * under the data directory on the URL's port and stopped when reasonq exits.
 */
export async function ensureRedis(url: string, dir: string): Promise<RedisHandle> {
  if (await answers(url)) return { url };
  const parsed = new URL(url);
  const local = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost" || parsed.hostname === "::1";
  if (!local) throw new Error(`no Redis answers at ${url}.\n${NO_REDIS_HELP}`);
  const port = parsed.port === "" ? "6379" : parsed.port;
  const redisDir = join(dir, "redis");
  mkdirSync(redisDir, { recursive: true });

  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      port,
      "--bind",
      "127.0.0.1",
      "--dir",
      redisDir,
      "--appendonly",
      "yes",
      "--maxmemory-policy",
      "noeviction",
    ],
    { stdio: "ignore" },
  );
  const failed = new Promise<Error>((resolve) => {
    child.once("error", (error) => resolve(error));
    child.once("exit", (code) => resolve(new Error(`redis-server exited with code ${code}`)));
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const outcome = await Promise.race([failed, answers(url)]);
    if (outcome === true) break;
    if (outcome instanceof Error) {
      const missing = (outcome as NodeJS.ErrnoException).code === "ENOENT";
      throw new Error(missing ? NO_REDIS_HELP : `could not start redis-server: ${outcome.message}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("redis-server did not answer within 10 s");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
