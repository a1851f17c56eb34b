import { timingSafeEqual } from "node:crypto";
import { ReasonqError } from "@reasonq/core";
import type { JobQueues } from "@reasonq/queue";
import type { Store } from "@reasonq/store";
import type { FastifyInstance } from "fastify";
import { Gauge, Registry } from "prom-client";
import type { JobWaiter } from "../job-waiter.ts";
import { registerAttemptHistograms } from "./attempt-histograms.ts";

export interface MetricsOptions {
  store: Store;
  queues: JobQueues;
  waiter: JobWaiter;
  /** The bearer token a scraper must send; without one, `/metrics` is not served. */
  token: string;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/metrics` in the Prometheus text format. Job, queue, attempt, token and cost figures are
 * read from the database at scrape time (the row is the truth, whichever process ran the
 * job), queue entries from Redis; every API instance answers the same, except for the
 * requests it holds itself.
 */
export async function registerMetrics(app: FastifyInstance, options: MetricsOptions): Promise<void> {
  const { store, queues, waiter } = options;
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const jobs = gauge("reasonq_jobs", "Jobs by status, provider and model", ["status", "provider", "model"]);
  const waiting = gauge("reasonq_queue_depth", "Jobs waiting for a worker, by provider", ["provider"]);
  const age = gauge("reasonq_queue_oldest_age_seconds", "How long the oldest waiting job has waited", ["provider"]);
  const entries = gauge("reasonq_queue_entries", "Entries in the provider's BullMQ queue", ["provider"]);
  const attempts = gauge("reasonq_attempts_total", "Provider calls by outcome", ["provider", "outcome"]);
  const tokens = gauge("reasonq_tokens_total", "Tokens billed, by model and kind", ["model", "kind"]);
  const cost = gauge("reasonq_cost_usd_total", "USD billed, by model", ["model"]);
  const webhooks = gauge("reasonq_webhook_deliveries", "Webhook deliveries by state", ["status"]);
  const webhookPosts = gauge("reasonq_webhook_posts_total", "Webhook POSTs tried, by the delivery's state", ["status"]);
  // Deliveries wait here when no worker can send them (one started without the API's secret).
  const webhookWait = gauge(
    "reasonq_webhook_oldest_pending_age_seconds",
    "How long the oldest webhook delivery not yet delivered or given up has waited",
    [],
  );

  const held = gauge(
    "reasonq_long_polls_held",
    "Requests this API process holds open waiting for jobs (waits and synchronous calls)",
    [],
  );

  const refreshHistograms = registerAttemptHistograms(registry, store);

  async function collect(): Promise<void> {
    registry.resetMetrics();
    await refreshHistograms();
    const snapshot = await store.metrics.snapshot();
    for (const r of snapshot.jobs) jobs.set({ status: r.status, provider: r.provider, model: r.model }, r.count);
    for (const r of snapshot.waiting) {
      waiting.set({ provider: r.provider }, r.count);
      age.set({ provider: r.provider }, r.oldest_age_seconds);
    }
    for (const r of snapshot.attempts) attempts.set({ provider: r.provider, outcome: r.outcome }, r.count);
    webhookWait.set(0);
    for (const r of snapshot.webhooks) {
      webhooks.set({ status: r.status }, r.count);
      webhookPosts.set({ status: r.status }, r.posts);
      if (r.status === "pending") webhookWait.set(r.oldest_age_seconds);
    }
    const usage = await store.usage.report({
      from: new Date(0),
      to: new Date("9999-12-31T00:00:00Z"),
      groupBy: "model",
    });
    for (const r of usage) {
      for (const kind of ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens"] as const) {
        tokens.set({ model: r.group, kind: kind.replace(/_tokens$/, "") }, r[kind]);
      }
      cost.set({ model: r.group }, Number(r.cost));
    }
    for (const [provider, count] of Object.entries(await queues.depth())) entries.set({ provider }, count);
    held.set(waiter.held);
  }

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization ?? "";
    if (!sameToken(header, `Bearer ${options.token}`)) {
      throw new ReasonqError("authentication_error", "send 'Authorization: Bearer <REASONQ_METRICS_TOKEN>'", {
        field: "authorization",
      });
    }
    await collect();
    return reply.header("content-type", registry.contentType).send(await registry.metrics());
  });
}
