/**
 * Anthropic's Message Batches API as `@anthropic-ai/sdk` calls it: `POST /v1/messages/batches`
 * (`{requests: [{custom_id, params}]}`), `GET /v1/messages/batches/{id}`, `POST …/{id}/cancel`,
 * `GET /v1/messages/batches`, and the results at `results_url` (JSONL, one
 * `{custom_id, result}` per request; `result.type` succeeded / errored / canceled / expired).
 * Each `params` runs as a non-streaming `POST /v1/messages` on this same mock.
 */
import type { ServerResponse } from "node:http";
import { BATCH_EXPIRY_MS, header, type MockBatch, MockBatches } from "../batch/mock-batches.ts";
import { type MockRequest, sendJson } from "../http.ts";
import type { MockApiError } from "./anthropic-mock-validate.ts";

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
/** Anthropic's per-batch request limit. */
const MAX_REQUESTS = 100_000;

interface AnthropicBatchExtra {
  headers: Record<string, string>;
}

export interface AnthropicBatchApi {
  bind(url: string): void;
  /** Answers a Message Batches route and returns true; false for any other path. */
  route(request: MockRequest, response: ServerResponse, fail: (error: MockApiError) => void): Promise<boolean>;
}

export function createAnthropicBatchApi(): AnthropicBatchApi {
  let baseUrl = "";
  const batches = new MockBatches<AnthropicBatchExtra>("msgbatch_", (_request, batch) => ({
    path: "/v1/messages",
    headers: batch.extra.headers,
  }));
  const notFound = (id: string): MockApiError => ({
    status: 404,
    type: "not_found_error",
    message: `No message batch found with id '${id}'`,
  });

  return {
    bind(url) {
      baseUrl = url;
      batches.bind(url);
    },
    async route(request, response, fail) {
      const { method, path } = request;
      if (!path.startsWith("/v1/messages/batches")) return false;
      const match = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(path);
      if (method === "POST" && path === "/v1/messages/batches") {
        const created = createBatch(request, batches);
        if ("status" in created) fail(created);
        else sendJson(response, 200, batchObject(created, baseUrl));
        return true;
      }
      if (method === "GET" && path === "/v1/messages/batches") {
        const limit = Number(request.query.get("limit") ?? 20);
        const page = batches.list().slice(0, limit);
        sendJson(response, 200, {
          data: page.map((b) => batchObject(b, baseUrl)),
          has_more: batches.list().length > limit,
          first_id: page[0]?.id ?? null,
          last_id: page.at(-1)?.id ?? null,
        });
        return true;
      }
      const batch = match === null ? undefined : batches.get(match[1] ?? "");
      if (match === null || batch === undefined) {
        fail(notFound(match?.[1] ?? path));
        return true;
      }
      if (method === "POST" && match[2] === "/cancel") {
        batches.cancel(batch);
        sendJson(response, 200, batchObject(batch, baseUrl));
      } else if (method === "GET" && match[2] === undefined) {
        await batches.poll(batch);
        sendJson(response, 200, batchObject(batch, baseUrl));
      } else if (method === "GET" && match[2] === "/results" && batch.state === "ended") {
        response.writeHead(200, { "content-type": "application/binary" });
        response.end(resultLines(batch));
      } else {
        fail(notFound(batch.id));
      }
      return true;
    },
  };
}

function createBatch(
  request: MockRequest,
  batches: MockBatches<AnthropicBatchExtra>,
): MockBatch<AnthropicBatchExtra> | MockApiError {
  const body = request.body as { requests?: unknown } | undefined;
  const invalid = (message: string): MockApiError => ({ status: 400, type: "invalid_request_error", message });
  if (!Array.isArray(body?.requests) || body.requests.length === 0) return invalid("requests: Field required");
  if (body.requests.length > MAX_REQUESTS) return invalid(`requests: at most ${MAX_REQUESTS} requests per batch`);
  const seen = new Set<string>();
  const requests = [];
  for (const [index, entry] of (body.requests as Array<Record<string, unknown>>).entries()) {
    const customId = entry?.custom_id;
    if (typeof customId !== "string" || !CUSTOM_ID.test(customId)) {
      return invalid(`requests.${index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
    }
    if (seen.has(customId)) return invalid(`requests.${index}.custom_id: Duplicate custom_id '${customId}'`);
    seen.add(customId);
    const params = entry.params;
    if (typeof params !== "object" || params === null) return invalid(`requests.${index}.params: Field required`);
    if ((params as { stream?: unknown }).stream === true) {
      return invalid(`requests.${index}.params.stream: streaming is not supported in message batches`);
    }
    requests.push({ customId, body: params as Record<string, unknown> });
  }
  const headers: Record<string, string> = {};
  for (const name of ["x-api-key", "authorization", "anthropic-version", "anthropic-beta"]) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  return batches.create(requests, { headers });
}

function resultLines(batch: MockBatch<AnthropicBatchExtra>): string {
  const lines = batch.requests.map((request) => {
    const outcome = batch.outcomes.get(request.customId);
    const result =
      outcome === undefined || outcome.kind === "canceled"
        ? { type: "canceled" }
        : outcome.kind === "expired"
          ? { type: "expired" }
          : outcome.status < 300
            ? { type: "succeeded", message: outcome.body }
            : { type: "errored", error: outcome.body };
    return JSON.stringify({ custom_id: request.customId, result });
  });
  return `${lines.join("\n")}\n`;
}

function batchObject(batch: MockBatch<AnthropicBatchExtra>, baseUrl: string) {
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  for (const request of batch.requests) {
    const outcome = batch.outcomes.get(request.customId);
    if (outcome === undefined) counts.processing += 1;
    else if (outcome.kind === "canceled") counts.canceled += 1;
    else if (outcome.kind === "expired") counts.expired += 1;
    else if (outcome.status < 300) counts.succeeded += 1;
    else counts.errored += 1;
  }
  const ended = batch.state === "ended";
  return {
    id: batch.id,
    type: "message_batch",
    processing_status: ended ? "ended" : batch.state === "cancelling" ? "canceling" : "in_progress",
    request_counts: counts,
    ended_at: batch.endedAt?.toISOString() ?? null,
    created_at: batch.createdAt.toISOString(),
    expires_at: new Date(batch.createdAt.getTime() + BATCH_EXPIRY_MS).toISOString(),
    archived_at: null,
    cancel_initiated_at: batch.cancelledAt?.toISOString() ?? null,
    results_url: ended ? `${baseUrl}/v1/messages/batches/${batch.id}/results` : null,
  };
}
