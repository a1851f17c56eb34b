import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../http.ts";
import { startOpenAIMock } from "./openai-mock.ts";

/** A result line, read loosely: the assertions say what each field must be. */
interface BatchLine {
  custom_id: string;
  // biome-ignore lint/suspicious/noExplicitAny: the body is whichever endpoint's response, checked field by field
  response: any;
  error: { code: string; message: string } | null;
}

let mock: MockServer;
let client: OpenAI;

beforeAll(async () => {
  mock = await startOpenAIMock({ apiKey: "sk-test", reasoningDelayMs: 0 });
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${mock.url}/v1`, maxRetries: 0 });
});
afterAll(() => mock.close());

const chatLine = (customId: string, content: string) => ({
  custom_id: customId,
  method: "POST",
  url: "/v1/chat/completions",
  body: { model: "o4-mini", messages: [{ role: "user", content }], max_completion_tokens: 4000 },
});

async function submit(lines: unknown[], endpoint: "/v1/chat/completions" | "/v1/responses" = "/v1/chat/completions") {
  const jsonl = `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`;
  const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), "input.jsonl"), purpose: "batch" });
  return client.batches.create({
    input_file_id: file.id,
    endpoint,
    completion_window: "24h",
    metadata: { reasonq_batch_id: "pb_1" },
  });
}

async function jsonl(fileId: string | null | undefined): Promise<BatchLine[]> {
  if (fileId === null || fileId === undefined) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("the OpenAI mock's Batch API, through the openai SDK", () => {
  it("runs every line as the interactive endpoint would have answered it", async () => {
    const batch = await submit([chatLine("job_a", "What is 2 + 3?"), chatLine("job_b", "What is 4 * 5?")]);
    expect(batch).toMatchObject({ object: "batch", status: "in_progress", request_counts: { total: 2 } });
    const done = await client.batches.retrieve(batch.id);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 2, completed: 2, failed: 0 } });
    expect(done.error_file_id).toBeNull();
    const lines = await jsonl(done.output_file_id);
    expect(lines.map((l) => l.custom_id)).toEqual(["job_a", "job_b"]);
    const interactive = await client.chat.completions.create({
      model: "o4-mini",
      messages: [{ role: "user", content: "What is 2 + 3?" }],
      max_completion_tokens: 4000,
    });
    const first = lines[0]?.response;
    expect(first.status_code).toBe(200);
    expect(first.body.object).toBe("chat.completion");
    expect(first.body.choices[0].message.content).toBe(interactive.choices[0]?.message.content);
    expect(first.body.usage.completion_tokens_details.reasoning_tokens).toBe(
      interactive.usage?.completion_tokens_details?.reasoning_tokens,
    );
  });

  it("puts a request that errors in the error file and runs the others", async () => {
    const batch = await submit([chatLine("ok", "What is 1 + 1?"), chatLine("bad", "Hi [mock:status=400]")]);
    const done = await client.batches.retrieve(batch.id);
    expect(done.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const [failed] = await jsonl(done.error_file_id);
    expect(failed).toMatchObject({ custom_id: "bad", response: { status_code: 400 }, error: null });
    expect(failed?.response.body.error.message).toEqual(expect.any(String));
    expect((await jsonl(done.output_file_id)).map((l) => l.custom_id)).toEqual(["ok"]);
  });

  it("stays in progress for the polls a slow batch asks for", async () => {
    const batch = await submit([chatLine("slow", "What is 3 + 3? [mock:batch_slow=3]")]);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await client.batches.retrieve(batch.id)).status);
    expect(seen).toEqual(["in_progress", "in_progress", "in_progress", "completed"]);
  });

  it("expires: requests never run get batch_expired in the error file", async () => {
    const batch = await submit([
      chatLine("ran", "What is 5 + 5?"),
      chatLine("late", "What is 6 + 6? [mock:batch_expire]"),
    ]);
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe("expired");
    expect(done.expired_at).toEqual(expect.any(Number));
    const [late] = await jsonl(done.error_file_id);
    expect(late).toMatchObject({ custom_id: "late", response: null, error: { code: "batch_expired" } });
    expect((await jsonl(done.output_file_id)).map((l) => l.custom_id)).toEqual(["ran"]);
  });

  it("cancels: cancelling, then cancelled with batch_cancelled lines", async () => {
    const batch = await submit([chatLine("c", "What is 7 + 7? [mock:batch_slow=5]")]);
    expect((await client.batches.cancel(batch.id)).status).toBe("cancelling");
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe("cancelled");
    const [line] = await jsonl(done.error_file_id);
    expect(line).toMatchObject({ custom_id: "c", error: { code: "batch_cancelled" } });
  });

  it("finds a batch by its metadata in the list", async () => {
    const batch = await submit([chatLine("listed", "What is 8 + 8?")]);
    const found = [];
    for await (const b of client.batches.list({ limit: 2 })) if (b.id === batch.id) found.push(b);
    expect(found[0]?.metadata).toEqual({ reasonq_batch_id: "pb_1" });
  });

  it("runs Responses API lines too", async () => {
    const batch = await submit(
      [
        {
          custom_id: "r",
          method: "POST",
          url: "/v1/responses",
          body: {
            model: "o4-mini",
            input: [{ role: "user", content: "What is 9 + 9?" }],
            reasoning: { summary: "auto" },
          },
        },
      ],
      "/v1/responses",
    );
    const [line] = await jsonl((await client.batches.retrieve(batch.id)).output_file_id);
    expect(line?.response.body.object).toBe("response");
  });

  it("fails a batch whose input file has a bad line, naming the line", async () => {
    const batch = await submit([chatLine("x", "a"), { ...chatLine("x", "b") }]);
    expect(batch.status).toBe("failed");
    expect(batch.errors?.data?.[0]).toMatchObject({ code: "duplicate_custom_id", line: 2 });
  });
});
