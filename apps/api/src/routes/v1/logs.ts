import { Readable } from "node:stream";
import {
  ErrorBodySchema,
  findUnstorableText,
  type LogImportLine,
  type LogLineError,
  LogResultSchema,
  ReasonqError,
} from "@reasonq/core";
import { type Store, toJob } from "@reasonq/store";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type IngestDeps, ingestLog, type PreparedLog, prepareLog } from "../../services/ingest-log.ts";

/** Bulk uploads are streamed, so the bound is on the stream, not on a buffered body. */
export const MAX_LOG_UPLOAD_BYTES = 256 * 1024 * 1024;
/** One exchange, as for a JSON body; a longer line is reported and skipped, never buffered. */
export const MAX_LOG_LINE_BYTES = 4 * 1024 * 1024;
/** Lines per transaction: one multi-row insert per chunk, results streamed after each. */
export const LOG_CHUNK_LINES = 200;

const JSONL_TYPES = ["application/x-ndjson", "application/jsonl", "application/x-jsonlines"];

interface RawLine {
  line: number;
  /** Null when the line was longer than MAX_LOG_LINE_BYTES (its bytes were dropped as they came). */
  text: string | null;
}

/**
 * A byte stream → numbered lines, holding at most one line (bounded) in memory. Fails
 * with `payload_too_large` past `maxBytes`.
 */
export async function* readLines(stream: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<RawLine> {
  let total = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const take = (): RawLine => {
    line += 1;
    const text = tooLong ? null : Buffer.concat(parts, size).toString("utf8").replace(/\r$/, "");
    parts = [];
    size = 0;
    tooLong = false;
    return { line, text };
  };
  for await (const piece of stream) {
    const chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
    total += chunk.length;
    if (total > maxBytes) {
      throw new ReasonqError("payload_too_large", `a log upload is limited to ${maxBytes} bytes`);
    }
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const end = newline < 0 ? chunk.length : newline;
      if (!tooLong && end > start) {
        if (size + (end - start) > MAX_LOG_LINE_BYTES) {
          tooLong = true;
          parts = [];
          size = 0;
        } else {
          parts.push(chunk.subarray(start, end));
          size += end - start;
        }
      }
      if (newline < 0) break;
      yield take();
      start = newline + 1;
    }
  }
  if (size > 0 || tooLong) yield take();
}

function lineError(error: unknown, log: FastifyBaseLogger): LogLineError {
  if (ReasonqError.is(error)) {
    return { type: error.type, message: error.message, ...(error.field === undefined ? {} : { field: error.field }) };
  }
  log.error({ err: error }, "a logged line failed unexpectedly");
  return { type: "internal_error", message: "internal error" };
}

type Pending = { line: number; prepared: PreparedLog } | { line: number; error: LogLineError };

/**
 * Lines in, results out, in the same order: each line is validated, normalised and priced
 * as it arrives; every LOG_CHUNK_LINES lines the good ones are stored in one transaction
 * and the chunk's results are yielded. A bad line costs only itself. Nothing reads ahead
 * of what the consumer takes, so memory holds at most one chunk.
 */
export async function* importLog(
  deps: IngestDeps & { store: Store },
  apiKeyId: string,
  lines: AsyncIterable<RawLine>,
  log: FastifyBaseLogger,
): AsyncGenerator<LogImportLine> {
  const counts = { lines: 0, stored: 0, duplicates: 0, errors: 0 };
  let pending: Pending[] = [];
  let lastLine = 0;

  async function* flush(): AsyncGenerator<LogImportLine> {
    const chunk = pending;
    const good = chunk.flatMap((p) => ("prepared" in p ? [p.prepared.job] : []));
    const stored = await deps.store.logged.insertMany(good);
    pending = [];
    let next = 0;
    for (const p of chunk) {
      if ("error" in p) {
        counts.errors += 1;
        yield { line: p.line, error: p.error };
        continue;
      }
      const result = stored[next++];
      if (result === undefined) throw new Error("insertMany returned fewer results than jobs");
      if (result.created) counts.stored += 1;
      else counts.duplicates += 1;
      yield { line: p.line, job_id: result.id, created: result.created };
    }
  }

  /** The chunk that could not be stored: each of its lines is reported, none is silently lost. */
  function* failChunk(error: LogLineError): Generator<LogImportLine> {
    for (const p of pending) {
      counts.errors += 1;
      yield { line: p.line, error: "error" in p ? p.error : { ...error, message: `not stored: ${error.message}` } };
    }
    pending = [];
  }

  try {
    for await (const raw of lines) {
      lastLine = raw.line;
      if (raw.text !== null && raw.text.trim() === "") continue;
      counts.lines += 1;
      pending.push(prepareLine(deps, apiKeyId, raw, log));
      if (pending.length >= LOG_CHUNK_LINES) yield* flush();
    }
    yield* flush();
  } catch (error) {
    // The upload broke off (too large, connection lost) or the database refused a chunk: the
    // lines read so far are still stored if they can be, and reported one by one if not.
    const reason = lineError(error, log);
    try {
      yield* flush();
    } catch (inner) {
      yield* failChunk(lineError(inner, log));
    }
    yield { object: "error", error: reason, after_line: lastLine };
  }
  yield { object: "summary", ...counts };
}

function prepareLine(deps: IngestDeps, apiKeyId: string, raw: RawLine, log: FastifyBaseLogger): Pending {
  if (raw.text === null) {
    return {
      line: raw.line,
      error: { type: "payload_too_large", message: `the line is longer than ${MAX_LOG_LINE_BYTES} bytes` },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (error) {
    return {
      line: raw.line,
      error: { type: "invalid_request", message: `not valid JSON: ${(error as Error).message}` },
    };
  }
  const unstorable = findUnstorableText(value);
  if (unstorable !== null) {
    return {
      line: raw.line,
      error: { type: "invalid_request", message: `${unstorable.field || "the line"} ${unstorable.message}` },
    };
  }
  try {
    return { line: raw.line, prepared: prepareLog(deps, apiKeyId, value) };
  } catch (error) {
    return { line: raw.line, error: lineError(error, log) };
  }
}

async function* ndjson(results: AsyncIterable<LogImportLine>): AsyncGenerator<string> {
  for await (const result of results) yield `${JSON.stringify(result)}\n`;
}

/**
 * `POST /v1/logs`: a provider exchange made elsewhere, stored as a finished job
 * (`source: "logged"`). A JSON body is one exchange (201, or 200 when its provider
 * response was logged before). A JSONL body (`application/x-ndjson`) is streamed: each
 * line is one exchange, and the answer is JSONL too, one result per non-blank line
 * (`{line, job_id, created}` or `{line, error}`), then `{object: "summary", …}`; it starts
 * before the upload ends, so its status is 200 whatever the lines hold.
 */
export const logRoutes: FastifyPluginAsyncZod<IngestDeps & { store: Store }> = async (app, deps) => {
  app.addContentTypeParser(JSONL_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    "/logs",
    {
      // No route bodyLimit: a JSON exchange keeps the app's limit, the JSONL stream is bounded by readLines.
      schema: {
        summary: "Log a provider call made elsewhere (JSON), or many (JSONL, streamed)",
        description:
          "JSON: a LogRequest `{request, response, format?, provider?, model?, started_at?, completed_at?, metadata?}`. " +
          "application/x-ndjson: one LogRequest per line; answers JSONL results per line and a summary.",
        response: {
          200: LogResultSchema,
          201: LogResultSchema,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          413: ErrorBodySchema,
          415: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      if (JSONL_TYPES.includes(type)) {
        // An empty upload never reaches the stream parser: it is an empty stream of lines.
        const body = request.body instanceof Readable ? request.body : Readable.from([]);
        const results = importLog(deps, request.apiKey.id, readLines(body, MAX_LOG_UPLOAD_BYTES), request.log);
        reply.code(200).header("content-type", "application/x-ndjson; charset=utf-8");
        // A stream bypasses the response schema; its lines are LogImportLine.
        return reply.send(Readable.from(ndjson(results)) as never);
      }
      if (type !== "application/json") {
        throw new ReasonqError(
          "unsupported_media_type",
          `send one exchange as application/json or many as application/x-ndjson, not "${type}"`,
          { field: "content-type" },
        );
      }
      const { job, created, format } = await ingestLog(deps, request.apiKey.id, request.body);
      reply.header("location", `/v1/jobs/${job.id}`);
      return reply.code(created ? 201 : 200).send({ object: "log" as const, job: toJob(job), created, format });
    },
  );
};
