import { type ErrorType, ReasonqError } from "@reasonq/core";
import { isRedisUnavailable } from "@reasonq/queue";
import { isDatabaseUnavailable } from "@reasonq/store";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";

interface ErrorBody {
  error: { type: ErrorType; message: string; field?: string };
}

function body(type: ErrorType, message: string, field?: string): ErrorBody {
  return { error: { type, message, ...(field === undefined || field === "" ? {} : { field }) } };
}

/** `/reasoning/budget_tokens` → `reasoning.budget_tokens`. */
function fieldOf(path: string): string {
  return path.replace(/^\//, "").replaceAll("/", ".");
}

const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Fastify's own error codes that are the client's fault, by HTTP status. */
const FASTIFY_CLIENT_ERRORS: Record<number, ErrorType> = {
  400: "invalid_request",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * The one place errors become HTTP answers: every 4xx/5xx body is
 * `{ "error": { "type", "message", "field"? } }`. Unexpected errors are logged and
 * answered with a generic 500 that reveals nothing of the internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      let field = fieldOf(first?.instancePath ?? "");
      let message = first?.message ?? "invalid request";
      const unknownKeys =
        first?.keyword === "unrecognized_keys" ? (first.params?.keys as string[] | undefined) : undefined;
      if (unknownKeys !== undefined && unknownKeys.length > 0) {
        field = [field, unknownKeys[0]].filter((p) => p !== "").join(".");
        message = `unknown field${unknownKeys.length > 1 ? "s" : ""} (not part of the API): ${unknownKeys.join(", ")}`;
      }
      const where = error.validationContext === "body" ? "" : `${error.validationContext}: `;
      return reply.code(400).send(body("invalid_request", `${where}${field ? `${field}: ` : ""}${message}`, field));
    }
    if (!ReasonqError.is(error) && (isDatabaseUnavailable(error) || isRedisUnavailable(error))) {
      request.log.warn({ err: error }, "a backing service is unreachable");
      reply.header("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return reply.code(503).send(body("service_unavailable", "a backing service is unreachable; try again shortly"));
    }
    if (ReasonqError.is(error)) {
      if (error.httpStatus >= 500) request.log.error({ err: error }, "request failed");
      if (error.type === "service_unavailable" || error.httpStatus === 429) {
        reply.header("retry-after", String(Math.max(1, Math.ceil((error.retryAfterMs ?? 5000) / 1000))));
      }
      return reply.code(error.httpStatus).send(body(error.type, error.message, error.field));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, "response did not match its schema");
      return reply.code(500).send(body("internal_error", "internal error"));
    }
    const status = error.statusCode ?? 500;
    const clientType = FASTIFY_CLIENT_ERRORS[status];
    if (status < 500 && clientType !== undefined) {
      return reply.code(status).send(body(clientType, error.message));
    }
    if (status < 500) return reply.code(status).send(body("invalid_request", error.message));
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send(body("internal_error", "internal error"));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body("not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
}
