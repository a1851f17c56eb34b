import { ReasonqError } from "@reasonq/core";
import type { ApiKeySummary } from "@reasonq/store";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { ApiKeyCache } from "./api-key-cache.ts";

declare module "fastify" {
  interface FastifyRequest {
    apiKey: ApiKeySummary;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Bearer-key authentication for every route registered in the same context. Public
 * routes live in another context, so nothing is exempted by URL.
 */
export const authPlugin = fp<{ keys: ApiKeyCache }>(async (app: FastifyInstance, { keys }) => {
  app.decorateRequest("apiKey", null as unknown as ApiKeySummary);
  app.addHook("onRequest", async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new ReasonqError(
        "authentication_error",
        "missing Authorization header: send 'Authorization: Bearer <key>'",
        {
          field: "authorization",
        },
      );
    }
    const key = BEARER.exec(header)?.[1];
    if (key === undefined) {
      throw new ReasonqError("authentication_error", "the Authorization header must be 'Bearer <key>'", {
        field: "authorization",
      });
    }
    const apiKey = await keys.authenticate(key);
    if (apiKey === null) {
      throw new ReasonqError("authentication_error", "invalid or revoked API key", { field: "authorization" });
    }
    request.apiKey = apiKey;
  });
});
