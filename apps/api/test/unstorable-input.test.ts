import { postgresOptions } from "@reasonq/testkit";
import { describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/**
 * Text PostgreSQL refuses (a NUL, an unpaired surrogate) anywhere a client can put it is
 * a 400 naming the field, never a 500. Run on PostgreSQL, which is the one that refuses.
 */
describe("unstorable text in requests", () => {
  const h = useHarness(postgresOptions());

  const NUL = "a\u0000b";
  const LONE = "a\ud800b";
  const cases: Array<{ name: string; method: "GET" | "POST"; url: string; body?: unknown; type?: string }> = [
    { name: "NUL in a job id", method: "GET", url: "/v1/jobs/job_%00" },
    { name: "NUL in a query value", method: "GET", url: "/v1/jobs?model=a%00b" },
    { name: "NUL in a batch id", method: "GET", url: "/v1/batches/batch_%00/results" },
    { name: "NUL in a prompt", method: "POST", url: "/v1/jobs", body: { model: "sim/reasoner", prompt: NUL } },
    {
      name: "lone surrogate in a prompt",
      method: "POST",
      url: "/v1/jobs",
      body: { model: "sim/reasoner", prompt: LONE },
    },
    {
      name: "NUL in metadata",
      method: "POST",
      url: "/v1/jobs",
      body: { model: "sim/reasoner", prompt: "hi", metadata: { k: NUL } },
    },
    {
      name: "lone surrogate in a metadata key",
      method: "POST",
      url: "/v1/jobs",
      body: { model: "sim/reasoner", prompt: "hi", metadata: { [LONE]: "v" } },
    },
    {
      name: "NUL in a batch name",
      method: "POST",
      url: "/v1/batches",
      body: { name: NUL, items: [{ prompt: "hi" }], variants: [{ model: "sim/reasoner" }] },
    },
    { name: "NUL in a dataset name", method: "POST", url: "/v1/datasets?name=a%00b", body: '{"prompt":"hi"}\n' },
    { name: "NUL in a dataset line", method: "POST", url: "/v1/datasets?name=d", body: '{"prompt":"a\\u0000b"}\n' },
    {
      name: "lone surrogate in a dataset line",
      method: "POST",
      url: "/v1/datasets?name=d",
      body: '{"prompt":"a\\ud800b"}\n',
    },
    {
      name: "an unknown dataset query field",
      method: "POST",
      url: "/v1/datasets?colour=red",
      body: '{"prompt":"hi"}\n',
    },
    { name: "an empty dataset name", method: "POST", url: "/v1/datasets?name=", body: '{"prompt":"hi"}\n' },
    {
      name: "NUL in chat messages",
      method: "POST",
      url: "/v1/chat/completions",
      body: { model: "sim/reasoner", messages: [{ role: "user", content: NUL }] },
    },
  ];

  it.each(cases)("$name → 400 in the error shape", async ({ method, url, body }) => {
    const isText = typeof body === "string";
    const response = await h.app.inject({
      method,
      url,
      headers: { ...auth(h.keys.a), ...(isText ? { "content-type": "application/x-ndjson" } : {}) },
      ...(body === undefined ? {} : { payload: body as string }),
    });
    expect(response.statusCode, response.body).toBe(400);
    const error = response.json<{ error: { type: string; code?: string; message: string } }>().error;
    // OpenAI's routes answer in OpenAI's shape, with reasonq's type as the code.
    expect(url.startsWith("/v1/chat/") ? error.code : error.type).toBe("invalid_request");
    expect(error.message.length).toBeGreaterThan(0);
  });

  it("a NUL in a logged line is that line's error, not a 500", async () => {
    const response = await h.app.inject({
      method: "POST",
      url: "/v1/logs",
      headers: { ...auth(h.keys.a), "content-type": "application/x-ndjson" },
      payload: '{"format":"openai-chat","request":{"model":"gpt-5","messages":[]},"response":{"id":"a\\u0000"}}\n',
    });
    expect(response.statusCode).toBeLessThan(500);
    expect(response.body).toContain("NUL");
  });
});
