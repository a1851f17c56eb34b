/**
 * Gemini batch mode through `@google/genai` (Gemini Developer API, `v1beta`):
 * `batches.create` with inlined requests (each `metadata.key` = our custom id) and
 * `displayName` = our batch id, `batches.get` (states `JOB_STATE_*`), `batches.cancel`,
 * `batches.list` to find an interrupted submit by its display name. Inlined responses are
 * `generateContent` responses, mapped by the adapter's `mapGoogleResponse`.
 */
import { ApiError, type BatchJob, type GenerateContentConfig, GoogleGenAI, type InlinedRequest } from "@google/genai";
import { type ProviderConnection, ReasonqError } from "@reasonq/core";
import {
  type BatchItemOutcome,
  expiredError,
  findSince,
  type ProviderBatchClient,
  type ProviderBatchState,
} from "../batch/batch-client.ts";
import { providerFetch } from "../shared/provider-fetch.ts";
import { classifyGoogleError } from "./classify-google-error.ts";
import { GEMINI_DEFAULT_BASE_URL } from "./google-adapter.ts";
import type { GeminiRequestBody } from "./google-api-types.ts";
import { mapGoogleResponse } from "./google-event-mapper.ts";

/** Batch mode is served under v1beta. */
const GEMINI_BATCH_API_VERSION = "v1beta";
const ENDED = new Set(["JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED"]);
/** Inlined requests are limited to 20 MB in all. */
const MAX_INLINE_BYTES = 20 * 1024 * 1024;

export function createGoogleBatchClient(connection: ProviderConnection): ProviderBatchClient {
  let client: GoogleGenAI | undefined;
  const sdk = () => {
    client ??= new GoogleGenAI({
      apiKey: connection.apiKey ?? "",
      vertexai: false,
      apiVersion: GEMINI_BATCH_API_VERSION,
      httpOptions: { baseUrl: connection.baseUrl ?? GEMINI_DEFAULT_BASE_URL, fetch: providerFetch },
    });
    return client;
  };
  return {
    family: "google",
    limits: { maxRequests: 10_000, maxBytes: MAX_INLINE_BYTES },
    groupOf: () => "generateContent",
    async submit(ourId, entries) {
      const model = entries[0]?.request.model.model ?? "";
      const src = entries.map((entry): InlinedRequest => {
        // Built by prepareGoogleRequest: the cast reads back our own shape.
        const body = entry.request.body as unknown as GeminiRequestBody;
        const config = { ...body.generationConfig } as GenerateContentConfig;
        if (body.systemInstruction !== undefined) config.systemInstruction = body.systemInstruction;
        return { contents: body.contents, config, metadata: { key: entry.customId } };
      });
      const job = await sdk().batches.create({ model, src, config: { displayName: ourId } });
      if (job.name === undefined)
        throw new ReasonqError("provider_server_error", "Gemini created a batch without a name");
      return job.name;
    },
    find: async (ourId, hint) =>
      findSince(
        await sdk().batches.list({ config: { pageSize: 100 } }),
        hint.since,
        (job) => (job.createTime === undefined ? undefined : Date.parse(job.createTime)),
        (job) => (job.displayName === ourId ? (job.name ?? null) : null),
      ),
    async status(name): Promise<ProviderBatchState> {
      const job = await sdk().batches.get({ name });
      const state = job.state ?? "JOB_STATE_UNSPECIFIED";
      const responses = job.dest?.inlinedResponses ?? [];
      const errored = responses.filter((r) => r.error !== undefined).length;
      const result: ProviderBatchState = {
        ended: ENDED.has(state),
        status: state,
        counts: {
          total: responses.length,
          succeeded: responses.length - errored,
          errored,
          expired: 0,
          canceled: 0,
          processing: 0,
        },
      };
      if (state === "JOB_STATE_EXPIRED") {
        result.failure = expiredError("Gemini", "the batch job did not finish within its time limit");
      } else if (state === "JOB_STATE_FAILED") {
        result.failure = new ReasonqError("provider_server_error", `Gemini batch ${name} failed: ${jobError(job)}`);
      }
      return result;
    },
    async results(name, customIds) {
      const job = await sdk().batches.get({ name });
      const outcomes = new Map<string, BatchItemOutcome>();
      for (const [index, inlined] of (job.dest?.inlinedResponses ?? []).entries()) {
        const key = (inlined.metadata as Record<string, string> | undefined)?.key ?? customIds[index];
        if (key === undefined) continue;
        if (inlined.error !== undefined) {
          const error = inlined.error as { code?: number; message?: string };
          const apiError = new ApiError({ message: JSON.stringify({ error }), status: error.code ?? 500 });
          outcomes.set(key, { kind: "errored", error: classifyGoogleError(apiError) });
        } else {
          outcomes.set(key, { kind: "succeeded", events: mapGoogleResponse(inlined.response ?? {}) });
        }
      }
      if (job.state === "JOB_STATE_CANCELLED") {
        for (const id of customIds) if (!outcomes.has(id)) outcomes.set(id, { kind: "canceled" });
      }
      return outcomes;
    },
    async cancel(name) {
      await sdk().batches.cancel({ name });
    },
  };
}

function jobError(job: BatchJob): string {
  return job.error?.message ?? "no reason given";
}
