import { estimateMaxCost } from "@reasonq/billing";
import type { Job } from "@reasonq/core";
import { waitFor } from "@reasonq/testkit";
import { Decimal } from "decimal.js";
import { auth, type Harness } from "./harness.ts";

/** A new key with a spend cap of `cap` US dollars. */
export async function cappedKey(h: Harness, name: string, cap: string): Promise<{ key: string; id: string }> {
  const { key, apiKey } = await h.store.apiKeys.create(name);
  await h.store.apiKeys.setSpendCap(apiKey.id, cap);
  return { key, id: apiKey.id };
}

/** What a key has spent, as its usage report says. */
export async function spentBy(h: Harness, key: string): Promise<Decimal> {
  return new Decimal((await h.app.inject({ method: "GET", url: "/v1/usage", headers: auth(key) })).json().total.cost);
}

/** The pre-flight maximum of a job asking `model` one user message `text`. */
export function maximumCost(model: string, text: string, maxOutputTokens: number): Decimal {
  return new Decimal(
    estimateMaxCost({
      modelId: model,
      messages: [{ role: "user", content: text }],
      maxOutputTokens,
      at: new Date(),
    }).maxCost,
  );
}

/** A batch of `key`'s once it has stopped running. */
export function batchEnded<T extends { status: string }>(h: Harness, key: string, id: string): Promise<T> {
  return waitFor(
    async () => {
      const batch = (await h.app.inject({ method: "GET", url: `/v1/batches/${id}`, headers: auth(key) })).json<T>();
      return batch.status === "running" ? undefined : batch;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `batch ${id} to end` },
  );
}

/** A key's jobs, newest first (up to 100). */
export async function jobsOf(h: Harness, key: string): Promise<Job[]> {
  return (await h.app.inject({ method: "GET", url: "/v1/jobs?limit=100", headers: auth(key) })).json<{ data: Job[] }>()
    .data;
}
