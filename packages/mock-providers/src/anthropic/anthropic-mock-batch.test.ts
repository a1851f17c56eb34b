import Anthropic from "@anthropic-ai/sdk";
import type { MessageBatchIndividualResponse } from "@anthropic-ai/sdk/resources/messages/batches";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { startAnthropicMock } from "./anthropic-mock.ts";

let mock: MockServer;
let client: Anthropic;

beforeAll(async () => {
  mock = await startAnthropicMock({ apiKey: "test-key" });
  client = new Anthropic({ apiKey: "test-key", baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());

const params = (content: string) => ({
  model: "claude-sonnet-4-6",
  max_tokens: 16_000,
  thinking: { type: "enabled" as const, budget_tokens: 4096 },
  messages: [{ role: "user" as const, content }],
});

async function results(id: string): Promise<MessageBatchIndividualResponse[]> {
  const out: MessageBatchIndividualResponse[] = [];
  for await (const line of await client.messages.batches.results(id)) out.push(line);
  return out;
}

describe("the Anthropic mock's Message Batches API, through @anthropic-ai/sdk", () => {
  it("answers each request with the message /v1/messages would have returned", async () => {
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: "job_a", params: params("What is 2 + 3?") },
        { custom_id: "job_b", params: params("Oops [mock:status=400]") },
      ],
    });
    expect(batch).toMatchObject({ type: "message_batch", processing_status: "in_progress", results_url: null });
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.processing_status).toBe("ended");
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 0 });
    const [a, b] = await results(batch.id);
    const interactive = await client.messages.create(params("What is 2 + 3?"));
    expect(a?.custom_id).toBe("job_a");
    if (a?.result.type !== "succeeded") throw new Error("expected a success");
    expect(a.result.message.content.map((block) => block.type)).toEqual(interactive.content.map((block) => block.type));
    expect(a.result.message.usage.output_tokens).toBe(interactive.usage.output_tokens);
    expect(b?.result).toMatchObject({
      type: "errored",
      error: { type: "error", error: { type: "invalid_request_error" } },
    });
  });

  it("keeps a slow batch in progress for its polls, then ends it", async () => {
    const batch = await client.messages.batches.create({
      requests: [{ custom_id: "slow", params: params("What is 1 + 1? [mock:batch_slow=2]") }],
    });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await client.messages.batches.retrieve(batch.id)).processing_status);
    expect(seen).toEqual(["in_progress", "in_progress", "ended"]);
  });

  it("reports requests it never ran as expired", async () => {
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: "ran", params: params("What is 4 + 4?") },
        { custom_id: "late", params: params("What is 5 + 5? [mock:batch_expire]") },
      ],
    });
    expect((await client.messages.batches.retrieve(batch.id)).request_counts.expired).toBe(1);
    expect((await results(batch.id)).map((line) => line.result.type)).toEqual(["succeeded", "expired"]);
  });

  it("cancels: canceling, then ended with canceled results", async () => {
    const batch = await client.messages.batches.create({
      requests: [{ custom_id: "c", params: params("What is 6 + 6? [mock:batch_slow=9]") }],
    });
    const cancelling = await client.messages.batches.cancel(batch.id);
    expect(cancelling.processing_status).toBe("canceling");
    expect(cancelling.cancel_initiated_at).not.toBeNull();
    expect((await client.messages.batches.retrieve(batch.id)).processing_status).toBe("ended");
    expect((await results(batch.id)).map((line) => line.result.type)).toEqual(["canceled"]);
  });

  it("lists batches and refuses bad custom_ids and streaming params", async () => {
    const page = await client.messages.batches.list({ limit: 100 });
    expect(page.data.length).toBeGreaterThan(0);
    await expect(
      client.messages.batches.create({ requests: [{ custom_id: "bad id!", params: params("x") }] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      client.messages.batches.create({
        requests: [{ custom_id: "s", params: { ...params("x"), stream: true } as ReturnType<typeof params> }],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
