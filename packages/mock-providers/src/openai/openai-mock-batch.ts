/**
 * OpenAI's Files and Batch APIs, as the `openai` SDK calls them: `POST /v1/files`
 * (multipart, purpose `batch`), `GET /v1/files/{id}` and `/content`, `POST /v1/batches`,
 * `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`, `GET /v1/batches`. The input is a
 * JSONL file of `{custom_id, method, url, body}` lines; when the batch ends, successes go
 * to the output file and failures (non-2xx answers, `batch_expired`, `batch_cancelled`)
 * to the error file, each line `{id, custom_id, response: {status_code, request_id, body}, error}`.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { BATCH_EXPIRY_MS, type MockBatch, MockBatches, type MockOutcome, unixSeconds } from "../batch/mock-batches.ts";
import { type MockRequest, sendJson } from "../http.ts";
import { failure, sendFailure } from "./openai-mock-errors.ts";

const ENDPOINTS = ["/v1/chat/completions", "/v1/responses"];
/** OpenAI's per-batch request limit. */
const MAX_REQUESTS = 50_000;

interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: Buffer;
  createdAt: Date;
}

interface OpenAIBatchExtra {
  key: string;
  endpoint: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
  outputFileId: string | null;
  errorFileId: string | null;
  /** Set when the input file was refused: the batch failed before running anything. */
  errors: Array<{ code: string; message: string; param: string | null; line: number | null }> | null;
}

export interface OpenAIBatchApi {
  bind(url: string): void;
  /** Answers a Files or Batches route and returns true; false for any other path. */
  route(request: MockRequest, response: ServerResponse, key: string): Promise<boolean>;
}

export function createOpenAIBatchApi(): OpenAIBatchApi {
  const files = new Map<string, StoredFile>();
  const batches = new MockBatches<OpenAIBatchExtra>("batch_", (_request, batch) => ({
    path: batch.extra.endpoint,
    headers: { authorization: `Bearer ${batch.extra.key}` },
  }));

  const storeFile = (filename: string, purpose: string, bytes: Buffer): StoredFile => {
    const file = { id: `file-${randomBytes(12).toString("hex")}`, filename, purpose, bytes, createdAt: new Date() };
    files.set(file.id, file);
    return file;
  };

  async function view(batch: MockBatch<OpenAIBatchExtra>) {
    await batches.poll(batch);
    if (batch.state === "ended" && batch.extra.outputFileId === null && batch.extra.errors === null) {
      writeResultFiles(batch, storeFile);
    }
    return batchObject(batch);
  }

  return {
    bind: (url) => batches.bind(url),
    async route(request, response, key) {
      const { method, path } = request;
      const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
      const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
      if (method === "POST" && path === "/v1/files") {
        const form = await new Response(new Uint8Array(request.rawBody), {
          headers: { "content-type": String(request.headers["content-type"] ?? "") },
        })
          .formData()
          .catch(() => null);
        const upload = form?.get("file");
        const purpose = form?.get("purpose");
        if (!(upload instanceof File) || typeof purpose !== "string") {
          sendFailure(response, failure(400, "Missing required parameter: 'file' and 'purpose'.", { param: "file" }));
          return true;
        }
        sendJson(response, 200, fileObject(storeFile(upload.name, purpose, Buffer.from(await upload.arrayBuffer()))));
        return true;
      }
      if (fileMatch !== null && method === "GET") {
        const file = files.get(fileMatch[1] ?? "");
        if (file === undefined) {
          sendFailure(response, failure(404, `No such File object: ${fileMatch[1]}`, { param: "id" }));
        } else if (fileMatch[2] === undefined) {
          sendJson(response, 200, fileObject(file));
        } else {
          response.writeHead(200, { "content-type": "application/octet-stream" });
          response.end(file.bytes);
        }
        return true;
      }
      if (method === "POST" && path === "/v1/batches") {
        const created = createBatch(request.body, files, key, batches);
        if ("status" in created) sendFailure(response, created);
        else sendJson(response, 200, batchObject(created));
        return true;
      }
      if (method === "GET" && path === "/v1/batches") {
        const limit = Number(request.query.get("limit") ?? 20);
        const after = request.query.get("after");
        const all = batches.list();
        const start = after === null ? 0 : all.findIndex((b) => b.id === after) + 1;
        const page = all.slice(start, start + limit);
        sendJson(response, 200, {
          object: "list",
          data: page.map(batchObject),
          first_id: page[0]?.id ?? null,
          last_id: page.at(-1)?.id ?? null,
          has_more: start + limit < all.length,
        });
        return true;
      }
      if (batchMatch !== null) {
        const batch = batches.get(batchMatch[1] ?? "");
        if (batch === undefined) {
          sendFailure(response, failure(404, `No batch found with id '${batchMatch[1]}'.`));
        } else if (method === "POST" && batchMatch[2] !== undefined) {
          batches.cancel(batch);
          sendJson(response, 200, batchObject(batch));
        } else if (method === "GET" && batchMatch[2] === undefined) {
          sendJson(response, 200, await view(batch));
        } else {
          sendFailure(response, failure(404, `Invalid URL (${method} ${path})`));
        }
        return true;
      }
      return false;
    },
  };
}

function createBatch(
  body: unknown,
  files: Map<string, StoredFile>,
  key: string,
  batches: MockBatches<OpenAIBatchExtra>,
): MockBatch<OpenAIBatchExtra> | ReturnType<typeof failure> {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const { input_file_id: inputFileId, endpoint, completion_window: window, metadata } = fields;
  if (typeof endpoint !== "string" || !ENDPOINTS.includes(endpoint)) {
    return failure(400, `Invalid value: '${String(endpoint)}'. Supported values are: ${ENDPOINTS.join(", ")}.`, {
      param: "endpoint",
    });
  }
  if (window !== "24h") {
    return failure(400, `Invalid value: '${String(window)}'. Supported values are: '24h'.`, {
      param: "completion_window",
    });
  }
  const file = typeof inputFileId === "string" ? files.get(inputFileId) : undefined;
  if (file === undefined || file.purpose !== "batch") {
    return failure(400, `Invalid 'input_file_id': '${String(inputFileId)}'.`, { param: "input_file_id" });
  }
  const extra: OpenAIBatchExtra = {
    key,
    endpoint,
    inputFileId: file.id,
    metadata: (metadata as Record<string, string> | undefined) ?? null,
    outputFileId: null,
    errorFileId: null,
    errors: null,
  };
  const parsed = parseInput(file.bytes.toString("utf8"), endpoint);
  if (parsed.errors !== undefined) {
    const batch = batches.create([], { ...extra, errors: parsed.errors });
    batch.state = "ended";
    batch.endedAt = batch.createdAt;
    return batch;
  }
  return batches.create(parsed.requests, extra);
}

/** Checks every line as the API's validation step does; any bad line fails the batch. */
function parseInput(text: string, endpoint: string) {
  const requests: Array<{ customId: string; body: Record<string, unknown> }> = [];
  const errors: NonNullable<OpenAIBatchExtra["errors"]> = [];
  const seen = new Set<string>();
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      errors.push({
        code: "invalid_json_line",
        message: "This line is not parseable as valid JSON.",
        param: null,
        line: lineNo,
      });
      continue;
    }
    const customId = entry.custom_id;
    if (typeof customId !== "string" || customId === "") {
      errors.push({
        code: "missing_required_parameter",
        message: "Missing custom_id.",
        param: "custom_id",
        line: lineNo,
      });
    } else if (seen.has(customId)) {
      errors.push({
        code: "duplicate_custom_id",
        message: "The custom_id for this request is a duplicate of another request.",
        param: "custom_id",
        line: lineNo,
      });
    } else if (entry.url !== endpoint) {
      errors.push({
        code: "mismatched_endpoint",
        message: `The url for this request does not match the batch endpoint ${endpoint}.`,
        param: "url",
        line: lineNo,
      });
    } else if (entry.method !== "POST" || typeof entry.body !== "object" || entry.body === null) {
      errors.push({
        code: "invalid_request",
        message: "Each request needs method POST and a body.",
        param: "body",
        line: lineNo,
      });
    } else {
      seen.add(customId);
      requests.push({ customId, body: entry.body as Record<string, unknown> });
    }
  }
  if (lines.length === 0)
    errors.push({ code: "empty_file", message: "The input file is empty.", param: null, line: null });
  if (lines.length > MAX_REQUESTS) {
    errors.push({
      code: "too_many_requests",
      message: `A batch holds at most ${MAX_REQUESTS} requests.`,
      param: null,
      line: null,
    });
  }
  return errors.length > 0 ? { errors, requests: [] } : { errors: undefined, requests };
}

function writeResultFiles(
  batch: MockBatch<OpenAIBatchExtra>,
  storeFile: (filename: string, purpose: string, bytes: Buffer) => StoredFile,
): void {
  const output: string[] = [];
  const failed: string[] = [];
  for (const request of batch.requests) {
    const outcome = batch.outcomes.get(request.customId) as MockOutcome;
    const line = {
      id: `batch_req_${randomBytes(12).toString("hex")}`,
      custom_id: request.customId,
      ...lineBody(outcome),
    };
    const ok = outcome.kind === "response" && outcome.status < 300;
    (ok ? output : failed).push(JSON.stringify(line));
  }
  const write = (lines: string[], name: string) =>
    lines.length === 0 ? null : storeFile(name, "batch_output", Buffer.from(`${lines.join("\n")}\n`)).id;
  batch.extra.outputFileId = write(output, `${batch.id}_output.jsonl`);
  batch.extra.errorFileId = write(failed, `${batch.id}_error.jsonl`);
}

function lineBody(outcome: MockOutcome) {
  if (outcome.kind === "response") {
    return {
      response: { status_code: outcome.status, request_id: outcome.requestId, body: outcome.body },
      error: null,
    };
  }
  return {
    response: null,
    error:
      outcome.kind === "expired"
        ? { code: "batch_expired", message: "The request could not be executed before the completion window ended." }
        : { code: "batch_cancelled", message: "The batch was cancelled before this request executed." },
  };
}

function fileObject(file: StoredFile) {
  return {
    id: file.id,
    object: "file",
    bytes: file.bytes.length,
    created_at: unixSeconds(file.createdAt),
    filename: file.filename,
    purpose: file.purpose,
    status: "processed",
    status_details: null,
    expires_at: null,
  };
}

function batchObject(batch: MockBatch<OpenAIBatchExtra>) {
  const { extra } = batch;
  const counts = { total: batch.requests.length, completed: 0, failed: 0 };
  for (const outcome of batch.outcomes.values()) {
    if (outcome.kind === "response" && outcome.status < 300) counts.completed += 1;
    else counts.failed += 1;
  }
  const ended = batch.endedAt;
  const status =
    extra.errors !== null
      ? "failed"
      : batch.state === "in_progress"
        ? "in_progress"
        : batch.state === "cancelling"
          ? "cancelling"
          : batch.endedAs;
  return {
    id: batch.id,
    object: "batch",
    endpoint: extra.endpoint,
    model: null,
    errors: extra.errors === null ? null : { object: "list", data: extra.errors },
    input_file_id: extra.inputFileId,
    completion_window: "24h",
    status,
    output_file_id: extra.outputFileId,
    error_file_id: extra.errorFileId,
    created_at: unixSeconds(batch.createdAt),
    in_progress_at: extra.errors === null ? unixSeconds(batch.createdAt) : null,
    expires_at: unixSeconds(new Date(batch.createdAt.getTime() + BATCH_EXPIRY_MS)),
    finalizing_at: status === "completed" || status === "expired" ? unixSeconds(ended) : null,
    completed_at: status === "completed" ? unixSeconds(ended) : null,
    failed_at: status === "failed" ? unixSeconds(ended) : null,
    expired_at: status === "expired" ? unixSeconds(ended) : null,
    cancelling_at: unixSeconds(batch.cancelledAt),
    cancelled_at: status === "cancelled" ? unixSeconds(ended) : null,
    request_counts: counts,
    usage: null,
    metadata: extra.metadata,
  };
}
