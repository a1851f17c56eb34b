import { ErrorBodySchema, ReasonqError, UsageQuerySchema, UsageReportSchema } from "@reasonq/core";
import type { Store } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

const DAY_MS = 24 * 3600 * 1000;
const MAX_RANGE_DAYS = 366;

/**
 * `GET /v1/usage?from=&to=&group_by=`: tokens and exact cost from the usage ledger (every
 * billed provider call, retries included) for the calling key, grouped by model,
 * provider, day or key. `from` defaults to 30 days ago, `to` to now.
 */
export const usageRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get(
    "/usage",
    {
      schema: {
        summary: "Tokens and cost from the usage ledger, grouped",
        querystring: UsageQuerySchema,
        response: {
          200: UsageReportSchema,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const to = request.query.to === undefined ? new Date() : new Date(request.query.to);
      const from =
        request.query.from === undefined ? new Date(to.getTime() - 30 * DAY_MS) : new Date(request.query.from);
      if (from >= to) throw new ReasonqError("invalid_request", "from must be before to", { field: "from" });
      if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
        throw new ReasonqError("invalid_request", `the range is limited to ${MAX_RANGE_DAYS} days`, { field: "from" });
      }
      const groupBy = request.query.group_by;
      const query = { apiKeyId: request.apiKey.id, from, to };
      const [data, [total]] = await Promise.all([
        store.usage.report({ ...query, groupBy }),
        store.usage.report({ ...query, groupBy: "key" }),
      ]);
      const empty = {
        input_tokens: 0,
        cached_input_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost: "0",
        jobs: 0,
        attempts: 0,
      };
      const { group: _key, ...totals } = total ?? { group: "", ...empty };
      return {
        object: "usage" as const,
        from: from.toISOString(),
        to: to.toISOString(),
        group_by: groupBy,
        data,
        total: totals,
      };
    },
  );
};
