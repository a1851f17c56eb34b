/**
 * OpenAI's Batch API through the `openai` SDK: the requests go up as a JSONL file
 * (`files.create`, purpose `batch`), one batch per endpoint (`/v1/chat/completions` or
 * `/v1/responses`, as the adapter chose per request) tagged `metadata.reasonq_batch_id`;
 * results come back as the output and error files. A result line's body is the
 * non-streaming response, mapped by the adapter's `mapResponse`.
 */
import { type ProviderConnection, ReasonqError } from "@reasonq/core";
import OpenAI, { toFile } from "openai";
import type { PreparedRequest } from "../adapter.ts";
import {
  type BatchEntry,
  type BatchItemOutcome,
  expiredError,
  type FindHint,
  findSince,
  type ProviderBatchClient,
  type ProviderBatchState,
} from "../batch/batch-client.ts";
import { classifyOpenAIError } from "./classify-openai-error.ts";
import { mapOpenAIResponse } from "./openai-adapter.ts";
import { isResponsesBody } from "./openai-api-types.ts";
import { lazyOpenAIClient } from "./openai-sdk-client.ts";

export const OPENAI_BATCH_TAG = "reasonq_batch_id";
const ENDED = new Set(["completed", "expired", "cancelled", "failed"]);

interface ResultLine {
  custom_id: string;
  response: { status_code: number; request_id?: string; body: unknown } | null;
  error: { code: string; message: string } | null;
}

export function createOpenAIBatchClient(connection: ProviderConnection): ProviderBatchClient {
  // A retried create could submit twice; the lane retries what is safe to retry.
  const sdk = lazyOpenAIClient(connection);

  return {
    family: "openai",
    limits: { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 },
    groupOf: endpointOf,
    async submit(ourId, entries) {
      const endpoint = endpointOf(entries[0]?.request as PreparedRequest);
      const jsonl = entries.map((entry) => JSON.stringify(inputLine(entry, endpoint))).join("\n");
      const file = await sdk().files.create({
        file: await toFile(Buffer.from(`${jsonl}\n`), `${ourId}.jsonl`),
        purpose: "batch",
      });
      const batch = await sdk().batches.create({
        input_file_id: file.id,
        endpoint,
        completion_window: "24h",
        metadata: { [OPENAI_BATCH_TAG]: ourId },
      });
      return batch.id;
    },
    find: (ourId, hint: FindHint) =>
      findSince(
        sdk().batches.list({ limit: 100 }),
        hint.since,
        (batch) => batch.created_at * 1000,
        (batch) => (batch.metadata?.[OPENAI_BATCH_TAG] === ourId ? batch.id : null),
      ),
    async status(id): Promise<ProviderBatchState> {
      const batch = await sdk().batches.retrieve(id);
      const counts = batch.request_counts ?? { total: 0, completed: 0, failed: 0 };
      const ended = ENDED.has(batch.status);
      const state: ProviderBatchState = {
        ended,
        status: batch.status,
        counts: {
          total: counts.total,
          succeeded: counts.completed,
          errored: counts.failed,
          expired: 0,
          canceled: 0,
          processing: ended ? 0 : counts.total - counts.completed - counts.failed,
        },
      };
      if (batch.status === "failed") {
        const reasons = (batch.errors?.data ?? []).map(
          (e) => `${e.line === undefined || e.line === null ? "" : `line ${e.line}: `}${e.message}`,
        );
        state.failure = new ReasonqError(
          "provider_invalid_request",
          `OpenAI refused the batch ${id}: ${reasons.join("; ") || "no reason given"}`,
        );
      } else if (batch.status === "expired") {
        state.failure = expiredError("OpenAI", "the 24h completion window ended");
      }
      return state;
    },
    async results(id) {
      const batch = await sdk().batches.retrieve(id);
      const outcomes = new Map<string, BatchItemOutcome>();
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (fileId === null || fileId === undefined) continue;
        const text = await (await sdk().files.content(fileId)).text();
        for (const line of text.split("\n")) {
          if (line.trim() === "") continue;
          const parsed = JSON.parse(line) as ResultLine;
          outcomes.set(parsed.custom_id, outcomeOf(parsed));
        }
      }
      return outcomes;
    },
    async cancel(id) {
      await sdk().batches.cancel(id);
    },
  };
}

function endpointOf(request: PreparedRequest): "/v1/responses" | "/v1/chat/completions" {
  return isResponsesBody(request.body) ? "/v1/responses" : "/v1/chat/completions";
}

/** The interactive body without its stream switches: a batch line is a plain request. */
function inputLine(entry: BatchEntry, endpoint: string) {
  const { stream: _stream, stream_options: _options, ...body } = entry.request.body;
  return { custom_id: entry.customId, method: "POST", url: endpoint, body };
}

function outcomeOf(line: ResultLine): BatchItemOutcome {
  const response = line.response;
  if (response !== null && response.status_code < 300) {
    return { kind: "succeeded", events: mapOpenAIResponse(response.body) };
  }
  if (response !== null) {
    const headers = new Headers(response.request_id === undefined ? {} : { "x-request-id": response.request_id });
    const body = response.body as Record<string, unknown> | undefined;
    const message = String((body?.error as { message?: unknown } | undefined)?.message ?? "the request failed");
    return {
      kind: "errored",
      error: classifyOpenAIError(OpenAI.APIError.generate(response.status_code, body, message, headers)),
    };
  }
  const error = line.error ?? { code: "unknown", message: "no result" };
  if (error.code === "batch_expired") return { kind: "expired", error: expiredError("OpenAI", error.message) };
  if (error.code === "batch_cancelled") return { kind: "canceled" };
  return {
    kind: "errored",
    error: new ReasonqError("provider_server_error", `OpenAI: ${error.code}: ${error.message}`),
  };
}
