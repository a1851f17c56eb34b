import { type ErrorType, ReasonqError } from "@reasonq/core";
import { isRedisUnavailable } from "@reasonq/queue";
import { isDatabaseUnavailable } from "@reasonq/store";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { toOpenAIError } from "./openai-errors.ts";

interface ErrorBody {
  error: { type: ErrorType; message: string; field?: string };
}

function body(type: ErrorType, message: string, field?: string): ErrorBody {
  return { error: { type, message, ...(field === undefined || field === "" ? {} : { field }) } };
}

/**
 * Answers in the shape the route speaks: reasonq's, or OpenAI's on the routes that
 * opt in with `config: { openaiErrors: true }` (their clients parse only that shape).
 */
function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  type: ErrorType,
  message: string,
  field?: string,
) {
  if (request.routeOptions.config?.openaiErrors === true) {
    const openai = toOpenAIError(status, type, message, field);
    return reply.code(openai.status).headers(openai.headers).send(openai.body);
  }
  return reply.code(status).send(body(type, message, field));
}

/** `/reasoning/budget_tokens` → `reasoning.budget_tokens`. */
function fieldOf(path: string): string {
  return path.replace(/^\//, "").replaceAll("/", ".");
}

/**
 * A provider's own 4xx comes back as that 4xx (a client error there is one here too, and
 * clients do not retry it); everything else answers with its type's status.
 */
export function httpStatusOf(error: ReasonqError): number {
  const provider = error.providerStatus;
  if (error.type.startsWith("provider_") && provider !== undefined && provider >= 400 && provider < 500) {
    return provider;
  }
  return error.httpStatus;
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
 * `{ "error": { "type", "message", "field"? } }` (OpenAI's shape on OpenAI routes).
 * Unexpected errors are logged and answered with a generic 500 that reveals nothing of
 * the internals.
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
      return send(request, reply, 400, "invalid_request", `${where}${field ? `${field}: ` : ""}${message}`, field);
    }
    if (!ReasonqError.is(error) && (isDatabaseUnavailable(error) || isRedisUnavailable(error))) {
      request.log.warn({ err: error }, "a backing service is unreachable");
      reply.header("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return send(request, reply, 503, "service_unavailable", "a backing service is unreachable; try again shortly");
    }
    if (ReasonqError.is(error)) {
      const status = httpStatusOf(error);
      if (status >= 500) request.log.error({ err: error }, "request failed");
      if (error.type === "service_unavailable" || status === 429) {
        reply.header("retry-after", String(Math.max(1, Math.ceil((error.retryAfterMs ?? 5000) / 1000))));
      }
      return send(request, reply, status, error.type, error.message, error.field);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, "response did not match its schema");
      return send(request, reply, 500, "internal_error", "internal error");
    }
    const status = error.statusCode ?? 500;
    const clientType = FASTIFY_CLIENT_ERRORS[status];
    if (status < 500 && clientType !== undefined) return send(request, reply, status, clientType, error.message);
    if (status < 500) return send(request, reply, status, "invalid_request", error.message);
    request.log.error({ err: error }, "request failed");
    return send(request, reply, 500, "internal_error", "internal error");
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body("not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
}
