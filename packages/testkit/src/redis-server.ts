import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export interface TestRedis {
  url: string;
  /** A queue prefix no other test file uses, so files sharing one Redis never collide. */
  prefix: string;
  stop(): Promise<void>;
}

/**
 * The shared Redis named by TEST_REDIS_URL (default: the local one) when it answers,
 * else a throwaway `redis-server` from the PATH on a free port.
 */
export async function testRedis(): Promise<TestRedis> {
  const prefix = `rqt-${randomBytes(5).toString("hex")}`;
  const shared = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  if (await answers(shared)) return { url: shared, prefix, stop: async () => {} };
  const server = await startRedisServer();
  return { url: server.url, prefix, stop: server.stop };
}

export interface RedisServerProcess {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A throwaway `redis-server`. With `dir` and `appendonly`, a restart on the same port and
 * directory keeps what was written (AOF), as the documented deployment does.
 */
export async function startRedisServer(
  port?: number,
  options: { dir?: string; appendonly?: boolean } = {},
): Promise<RedisServerProcess> {
  const chosen = port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "rq-redis-"));
  const persistence = options.appendonly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const child = spawn(
    "redis-server",
    ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", dir],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${chosen}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; i < 200 && !(await answers(url)); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!(await answers(url))) throw new Error(`redis-server did not start on ${url}`);
  return {
    url,
    port: chosen,
    process: child,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
