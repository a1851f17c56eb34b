/**
 * Anthropic's Message Batches through `@anthropic-ai/sdk`: `messages.batches.create` with
 * `{custom_id, params}` per request (params = the interactive body without `stream`),
 * `retrieve`, `results` (a JSONL stream of `succeeded` / `errored` / `canceled` / `expired`)
 * and `cancel`. A succeeded message is mapped by the adapter's `mapAnthropicResponse`.
 *
 * Message batches carry no metadata, so an interrupted submit is found again by what is
 * known of it: created after the intent was recorded, with the same number of requests,
 * and not already recorded for another batch of ours.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { BatchCreateParams, MessageBatchRequestCounts } from "@anthropic-ai/sdk/resources/messages/batches";
import { ReasonqError } from "@reasonq/core";
import {
  type BatchItemOutcome,
  expiredError,
  findSince,
  type ProviderBatchClient,
  type ProviderBatchState,
} from "../batch/batch-client.ts";
import { providerFetch } from "../shared/provider-fetch.ts";
import type { AnthropicConnection } from "./anthropic-adapter.ts";
import { ANTHROPIC_ERROR_TYPES } from "./classify-anthropic-error.ts";
import { mapAnthropicResponse } from "./map-anthropic-response.ts";

export function createAnthropicBatchClient(connection: AnthropicConnection): ProviderBatchClient {
  let client: Anthropic | undefined;
  const sdk = () => {
    client ??= new Anthropic({
      apiKey: connection.apiKey ?? "",
      ...(connection.baseUrl === undefined ? {} : { baseURL: connection.baseUrl }),
      maxRetries: 0,
      fetch: providerFetch,
    });
    return client;
  };

  return {
    family: "anthropic",
    limits: { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 },
    groupOf: () => "messages",
    async submit(_ourId, entries) {
      const requests = entries.map((entry) => {
        const { stream: _stream, ...params } = entry.request.body;
        return { custom_id: entry.customId, params } as unknown as BatchCreateParams.Request;
      });
      return (await sdk().messages.batches.create({ requests })).id;
    },
    find: (_ourId, hint) =>
      findSince(
        sdk().messages.batches.list({ limit: 100 }),
        hint.since,
        (batch) => Date.parse(batch.created_at),
        (batch) => (totalOf(batch.request_counts) === hint.count && !hint.known.has(batch.id) ? batch.id : null),
      ),
    async status(id): Promise<ProviderBatchState> {
      const batch = await sdk().messages.batches.retrieve(id);
      const c = batch.request_counts;
      return {
        ended: batch.processing_status === "ended",
        status: batch.processing_status,
        counts: {
          total: totalOf(c),
          succeeded: c.succeeded,
          errored: c.errored,
          expired: c.expired,
          canceled: c.canceled,
          processing: c.processing,
        },
      };
    },
    async results(id) {
      const outcomes = new Map<string, BatchItemOutcome>();
      for await (const line of await sdk().messages.batches.results(id)) {
        const result = line.result;
        if (result.type === "succeeded") {
          outcomes.set(line.custom_id, { kind: "succeeded", events: mapAnthropicResponse(result.message) });
        } else if (result.type === "errored") {
          const inner = result.error.error as { type?: string; message?: string };
          const kind = inner.type ?? "api_error";
          const type = ANTHROPIC_ERROR_TYPES[kind] ?? "provider_server_error";
          outcomes.set(line.custom_id, {
            kind: "errored",
            error: new ReasonqError(type, `anthropic (${kind}): ${inner.message ?? "the request failed"}`),
          });
        } else if (result.type === "expired") {
          outcomes.set(line.custom_id, {
            kind: "expired",
            error: expiredError("Anthropic", "the message batch reached its 24 hour limit"),
          });
        } else {
          outcomes.set(line.custom_id, { kind: "canceled" });
        }
      }
      return outcomes;
    },
    async cancel(id) {
      await sdk().messages.batches.cancel(id);
    },
  };
}

function totalOf(counts: MessageBatchRequestCounts): number {
  return counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
}
