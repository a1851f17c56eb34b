import { findUnstorableText, ReasonqError } from "@reasonq/core";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

function isDecodedJson(value: unknown): boolean {
  if (typeof value === "string" || Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Text PostgreSQL cannot store (a NUL, an unpaired surrogate) in an id, a query value or
 * a JSON body is the client's mistake: answered with a 400 naming the field before any
 * route runs, rather than a 500 when the database refuses it. Streamed uploads are
 * checked line by line where they are parsed.
 */
export const refuseUnstorablePlugin = fp(async (app: FastifyInstance) => {
  app.addHook("preValidation", async (request) => {
    const places = [
      ["path", request.params],
      ["query", request.query],
      ["body", isDecodedJson(request.body) ? request.body : undefined],
    ] as const;
    for (const [where, value] of places) {
      const found = findUnstorableText(value);
      if (found === null) continue;
      const prefix = where === "body" ? "" : `${where}: `;
      throw new ReasonqError("invalid_request", `${prefix}${found.field || where} ${found.message}`, {
        ...(found.field === "" ? {} : { field: found.field }),
      });
    }
  });
});
