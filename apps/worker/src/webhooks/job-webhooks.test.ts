import { newId } from "@reasonq/core";
import type { WebhookQueue } from "@reasonq/queue";
import { createStore, type Store } from "@reasonq/store";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverEvent, JOB_ENDED, reconcileWebhooks } from "./job-webhooks.ts";

/** A queue that only records what was put on it: these tests are about the rows and the log. */
function recordingQueue() {
  const added: string[] = [];
  const queue = {
    enqueue: async (id: string) => void added.push(id),
    reenqueue: async (id: string) => void added.push(id),
  } as unknown as WebhookQueue;
  return { added, queue };
}

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger };
}

describe("job webhooks in the worker", () => {
  let store: Store;
  let key: string;

  beforeAll(async () => {
    store = await createStore({ kind: "pglite" });
    key = (await store.apiKeys.create("a")).apiKey.id;
  });
  afterAll(async () => {
    await store.close();
  });

  async function endedJobWithDelivery(url: string): Promise<string> {
    const id = newId("job");
    await store.jobs.create({
      id,
      api_key_id: key,
      model: "sim/hasty",
      provider: "sim",
      spec: {
        model: "sim/hasty",
        messages: [{ role: "user", content: "What is 2+2?" }],
        reasoning: { include: false, enabled: false },
        sampling: {},
        metadata: {},
        webhook_url: url,
      },
      resolved_params: {},
      prepared_request: { model: {}, body: {} },
      metadata: {},
      warnings: [],
    });
    await store.jobs.cancel(id, key);
    await store.webhooks.create({ id, api_key_id: key, event: JOB_ENDED, url });
    return id;
  }

  it("fails a delivery whose name now resolves to a private address at once, with the reason recorded", async () => {
    const id = await endedJobWithDelivery("https://hooks.invalid/in");
    const { logger } = capturingLogger();
    const settings = {
      secret: "a-webhook-secret-of-at-least-24",
      allowPrivate: false,
      timeoutMs: 1_000,
      resolve: async () => ["169.254.169.254"],
    };
    // Not the last of its attempts, yet nothing is thrown: the queue must not retry it.
    await deliverEvent({ store, queue: recordingQueue().queue, logger, settings }, id, 1, false);
    const row = await store.webhooks.get(id);
    expect(row?.status).toBe("failed");
    expect(row?.attempts).toHaveLength(1);
    expect(row?.attempts[0]).toMatchObject({ attempt: 1, status_code: null });
    expect(row?.attempts[0]?.error).toMatch(/resolves to 169\.254\.169\.254.*refused at delivery, not retried/);
  });

  it("a worker without the secret reports waiting deliveries as an error, and still re-queues them for others", async () => {
    const id = await endedJobWithDelivery("https://hooks.invalid/waiting");
    const { added, queue } = recordingQueue();
    const { lines, logger } = capturingLogger();
    // Every pending row counts as stale here: the cut-off is a minute ahead.
    await reconcileWebhooks({ store, queue, logger, delivering: false }, -60_000);
    expect(added).toContain(id);
    const error = lines.find((l) => l.level === 50);
    expect(error?.msg).toContain("REASONQ_WEBHOOK_SECRET is not set");
    expect(error?.waiting).toBeGreaterThanOrEqual(1);

    const quiet = capturingLogger();
    await reconcileWebhooks({ store, queue, logger: quiet.logger, delivering: true }, -60_000);
    expect(quiet.lines.filter((l) => l.level === 50)).toEqual([]);
  });
});
