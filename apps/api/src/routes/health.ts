import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

export interface HealthOptions {
  checks: Record<string, () => Promise<void>>;
}

const Status = z.object({ status: z.enum(["ok", "unavailable"]), checks: z.record(z.string(), z.string()).optional() });

export const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, { checks }) => {
  app.get("/healthz", { schema: { summary: "The process is up", response: { 200: Status } } }, async () => ({
    status: "ok" as const,
  }));

  app.get(
    "/readyz",
    { schema: { summary: "Redis and the database answer", response: { 200: Status, 503: Status } } },
    async (_request, reply) => {
      const results: Record<string, string> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          results[name] = await withTimeout(check(), CHECK_TIMEOUT_MS).then(
            () => "ok",
            (error: unknown) => `unavailable: ${error instanceof Error ? error.message : String(error)}`,
          );
        }),
      );
      const ok = Object.values(results).every((r) => r === "ok");
      if (!ok) reply.header("retry-after", "5");
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", checks: results });
    },
  );
};

/** A frozen backing service answers nothing; the probe must still answer, and quickly. */
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
