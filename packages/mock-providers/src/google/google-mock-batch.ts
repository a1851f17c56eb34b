/**
 * Gemini's batch mode with inlined requests, as `@google/genai`'s `ai.batches` calls it
 * (Gemini Developer API): `POST /{v}/models/{model}:batchGenerateContent` with
 * `{batch: {displayName, inputConfig: {requests: {requests: [{request, metadata}]}}}}`,
 * `GET /{v}/batches/{id}`, `POST /{v}/batches/{id}:cancel`, `GET /{v}/batches`. A batch is a
 * long-running operation whose `metadata` carries `state` (`BATCH_STATE_*`, which the SDK
 * turns into `JOB_STATE_*`), `batchStats` and, once ended, `output.inlinedResponses`
 * (`{response, metadata}` or `{error, metadata}` per request, in request order). An expired
 * batch (`[mock:batch_expire]`) ends `BATCH_STATE_EXPIRED` with no output at all.
 */
import type { ServerResponse } from "node:http";
import { header, type MockBatch, MockBatches } from "../batch/mock-batches.ts";
import { type MockRequest, sendJson } from "../http.ts";
import { type GoogleErrorBody, googleError } from "./google-mock-errors.ts";
import { MOCK_GEMINI_MODELS } from "./google-mock-models.ts";

const CREATE = /^\/(v1|v1beta)\/models\/([^/:]+):batchGenerateContent$/;
const ONE = /^\/(v1|v1beta)\/batches\/([^/:]+)(:cancel)?$/;
const LIST = /^\/(v1|v1beta)\/batches$/;

interface GeminiBatchExtra {
  version: string;
  model: string;
  displayName: string;
  key: string;
  /** Each request's `metadata`, echoed with its response. */
  metadata: Map<string, unknown>;
}

export interface GoogleBatchApi {
  bind(url: string): void;
  isBatchPath(path: string): boolean;
  route(request: MockRequest, response: ServerResponse, key: string): Promise<void>;
}

export function createGoogleBatchApi(): GoogleBatchApi {
  const batches = new MockBatches<GeminiBatchExtra>("", (_request, batch) => ({
    path: `/${batch.extra.version}/models/${batch.extra.model}:generateContent`,
    headers: { "x-goog-api-key": batch.extra.key },
  }));
  const send = (response: ServerResponse, body: GoogleErrorBody) => sendJson(response, body.error.code, body);

  return {
    bind: (url) => batches.bind(url),
    isBatchPath: (path) => CREATE.test(path) || ONE.test(path) || LIST.test(path),
    async route(request, response, key) {
      const create = CREATE.exec(request.path);
      if (create !== null && request.method === "POST") {
        const [, version = "v1beta", model = ""] = create;
        if (MOCK_GEMINI_MODELS[model] === undefined) {
          return send(response, googleError(404, `models/${model} is not found for API version ${version}.`));
        }
        const created = createBatch(request.body, { version, model, key }, batches);
        if ("error" in created) return send(response, created);
        return sendJson(response, 200, operation(created));
      }
      if (LIST.test(request.path) && request.method === "GET") {
        return sendJson(response, 200, { operations: batches.list().map(operation) });
      }
      const one = ONE.exec(request.path);
      const batch = one === null ? undefined : batches.get(one[2] ?? "");
      if (one === null || batch === undefined) {
        return send(response, googleError(404, `Batch ${one?.[2] ?? request.path} not found.`));
      }
      if (request.method === "POST" && one[3] !== undefined) {
        batches.cancel(batch);
        return sendJson(response, 200, {});
      }
      if (request.method === "GET" && one[3] === undefined) {
        await batches.poll(batch);
        return sendJson(response, 200, operation(batch));
      }
      return send(response, googleError(404, `Method not found: ${request.method} ${request.path}`));
    },
  };
}

function createBatch(
  body: unknown,
  target: { version: string; model: string; key: string },
  batches: MockBatches<GeminiBatchExtra>,
): MockBatch<GeminiBatchExtra> | GoogleErrorBody {
  const batch = (body as { batch?: Record<string, unknown> } | undefined)?.batch;
  const inputConfig = batch?.inputConfig as { requests?: { requests?: unknown } } | undefined;
  const entries = inputConfig?.requests?.requests;
  if (!Array.isArray(entries) || entries.length === 0) {
    return googleError(400, "batch.input_config.requests.requests must not be empty.");
  }
  const metadata = new Map<string, unknown>();
  const requests = [];
  for (const [index, entry] of (entries as Array<Record<string, unknown>>).entries()) {
    const request = entry?.request;
    if (typeof request !== "object" || request === null) {
      return googleError(400, `batch.input_config.requests.requests[${index}].request is required.`);
    }
    const { model: _model, ...content } = request as Record<string, unknown>;
    const customId = String(index);
    metadata.set(customId, entry.metadata);
    requests.push({ customId, body: content });
  }
  const displayName = typeof batch?.displayName === "string" ? batch.displayName : "";
  return batches.create(requests, { ...target, displayName, metadata });
}

const STATES = { in_progress: "BATCH_STATE_RUNNING", cancelling: "BATCH_STATE_RUNNING" } as const;
const ENDED = {
  completed: "BATCH_STATE_SUCCEEDED",
  expired: "BATCH_STATE_EXPIRED",
  cancelled: "BATCH_STATE_CANCELLED",
} as const;

function operation(batch: MockBatch<GeminiBatchExtra>) {
  const { extra } = batch;
  const state =
    batch.state === "ended" && batch.endedAs !== null ? ENDED[batch.endedAs] : STATES[batch.state as "in_progress"];
  const stats = { requestCount: 0, successfulRequestCount: 0, failedRequestCount: 0, pendingRequestCount: 0 };
  const responses = batch.requests.map((request) => {
    stats.requestCount += 1;
    const outcome = batch.outcomes.get(request.customId);
    const metadata = extra.metadata.get(request.customId);
    if (outcome === undefined) stats.pendingRequestCount += 1;
    if (outcome?.kind !== "response") return null;
    const ok = outcome.status < 300;
    if (ok) stats.successfulRequestCount += 1;
    else stats.failedRequestCount += 1;
    const result = ok ? { response: outcome.body } : { error: (outcome.body as GoogleErrorBody).error };
    return metadata === undefined ? result : { ...result, metadata };
  });
  const withOutput = batch.endedAs === "completed";
  const now = (batch.endedAt ?? new Date()).toISOString();
  const metadata = {
    "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
    model: `models/${extra.model}`,
    displayName: extra.displayName,
    state,
    createTime: batch.createdAt.toISOString(),
    updateTime: now,
    ...(batch.endedAt === null ? {} : { endTime: batch.endedAt.toISOString() }),
    // int64 fields travel as strings in Google's JSON.
    batchStats: Object.fromEntries(Object.entries(stats).map(([name, n]) => [name, String(n)])),
    ...(withOutput ? { output: { inlinedResponses: { inlinedResponses: responses } } } : {}),
  };
  return {
    name: `batches/${batch.id}`,
    metadata,
    ...(batch.state === "ended" ? { done: true } : {}),
  };
}

/** The API key of a request, from the header or `?key=`. */
export function googleBatchKey(request: MockRequest): string {
  return header(request.headers, "x-goog-api-key") ?? request.query.get("key") ?? "";
}
