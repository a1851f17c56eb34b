import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { Job } from "@reasonq/core";
import { type MockServer, startAnthropicMock } from "@reasonq/mock-providers";
import { APICallError, type LanguageModel, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, type Harness, startHarness } from "./harness.ts";

const KEY = "test-provider-key-0123456789";
const MODEL = "anthropic/claude-sonnet-4-6";

/**
 * A streaming call the provider rejects is answered as OpenAI answers a request it rejects:
 * with the HTTP error, before any stream, so SDKs raise their error classes from the call
 * itself. Once output has been streamed, a failure stays in the stream.
 */
describe("errors of streaming calls", () => {
  let h: Harness;
  let anthropic: MockServer;
  let baseURL: string;

  beforeAll(async () => {
    anthropic = await startAnthropicMock({ apiKey: KEY });
    h = await startHarness(
      { kind: "pglite" },
      {
        connections: { anthropic: { apiKey: KEY, baseUrl: anthropic.url } },
        // One attempt: an overload mid-stream fails the job instead of being retried.
        env: { REASONQ_JOB_ATTEMPTS: "1", REASONQ_DISCONNECT_GRACE_MS: "0" },
      },
    );
    await h.startWorker();
    baseURL = `${await h.listen()}/v1`;
  });
  afterAll(async () => {
    await h.close();
    await anthropic.close();
  });

  /** The SDK as users build it, default retries included. */
  const sdk = () => new OpenAI({ baseURL, apiKey: h.keys.a });

  async function jobsTagged(tag: string): Promise<Job[]> {
    const res = await h.app.inject({ method: "GET", url: `/v1/jobs?metadata=test:${tag}`, headers: auth(h.keys.a) });
    return res.json<{ data: Job[] }>().data;
  }

  it.each([
    {
      marker: "[mock:status=400]",
      status: 400,
      code: "provider_invalid_request",
      type: "invalid_request_error",
      errorClass: OpenAI.BadRequestError,
    },
    {
      marker: "[mock:status=500]",
      status: 502,
      code: "provider_server_error",
      type: "server_error",
      errorClass: OpenAI.InternalServerError,
    },
  ])("chat.completions.create({stream: true}) raises $errorClass.name ($status) itself, once", async (c) => {
    const tag = `chat-${c.status}`;
    const call = sdk().chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: `Explain 2+2 ${c.marker}` }],
      stream: true,
      metadata: { test: tag },
    });
    await expect(call).rejects.toBeInstanceOf(c.errorClass);
    const error = (await call.catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toMatchObject({ status: c.status, code: c.code, type: c.type });
    expect(error.headers?.get("x-should-retry")).toBe("false");
    // Not retried by the SDK, and the job behind it is named.
    const jobs = await jobsTagged(tag);
    expect(jobs.map((j) => j.status)).toEqual(["failed"]);
    expect(error.headers?.get("x-reasonq-job-id")).toBe(jobs[0]?.id);
  });

  it("responses.create({stream: true}) raises BadRequestError itself, once", async () => {
    const call = sdk().responses.create({
      model: MODEL,
      input: "Explain 2+2 [mock:status=400]",
      stream: true,
      metadata: { test: "responses-400" },
    });
    await expect(call).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(call).rejects.toMatchObject({ status: 400, code: "provider_invalid_request" });
    expect((await jobsTagged("responses-400")).map((j) => j.status)).toEqual(["failed"]);
  });

  it("a failure after the first output stays in the chat stream, which the SDK raises while iterating", async () => {
    const stream = await sdk().chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Explain 2+2 [mock:overload_mid_stream]" }],
      stream: true,
    });
    let deltas = 0;
    const iterate = async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta) deltas++;
    };
    await expect(iterate()).rejects.toSatisfy(
      (e) => e instanceof OpenAI.APIError && e.status === undefined && /overload/i.test(e.message),
    );
    expect(deltas).toBeGreaterThan(1);
  });

  it("a failure after the first output ends the responses stream with response.failed", async () => {
    const stream = await sdk().responses.create({
      model: MODEL,
      input: "Explain 2+2 [mock:overload_mid_stream]",
      // The reasoning summary is output the client sees: the overload strikes after its first delta.
      reasoning: { effort: "low", summary: "auto" },
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toContain("response.reasoning_summary_text.delta");
    expect(types.at(-1)).toBe("response.failed");
  });

  it("a background stream is accepted whatever becomes of it: the failure is in its stream", async () => {
    const stream = await sdk().responses.create({
      model: MODEL,
      input: "Explain 2+2 [mock:status=400]",
      stream: true,
      background: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.failed");
  });

  it("a client that leaves while the headers wait for the first output cancels its job", async () => {
    const aborted = new AbortController();
    // Each of the provider's events comes 5 s apart: the call is still waiting for output when it leaves.
    const call = sdk().chat.completions.create(
      {
        model: MODEL,
        messages: [{ role: "user", content: "Explain 2+2 [mock:trickle_ms=5000]" }],
        stream: true,
        metadata: { test: "held-gone" },
      },
      { signal: aborted.signal },
    );
    const running = async (): Promise<Job> => {
      const [job] = await jobsTagged("held-gone");
      if (job?.status === "running") return job;
      await new Promise((resolve) => setImmediate(resolve));
      return running();
    };
    const job = await running();
    aborted.abort();
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    const ended = await h.app.inject({ method: "GET", url: `/v1/jobs/${job.id}?wait=30`, headers: auth(h.keys.a) });
    expect(ended.json<Job>().status).toBe("cancelled");
  });

  /** What the Vercel AI SDK's streamText reports for a call the provider rejects. */
  async function streamedError(model: LanguageModel): Promise<unknown> {
    const errors: unknown[] = [];
    const result = streamText({
      model,
      prompt: "Explain 2+2 [mock:status=400]",
      onError: ({ error }) => void errors.push(error),
    });
    await result.consumeStream();
    expect(errors).toHaveLength(1);
    return errors[0];
  }

  it("Vercel AI SDK streamText: an APICallError with the status, on chat completions and on Responses", async () => {
    const compatible = createOpenAICompatible({ name: "reasonq", baseURL, apiKey: h.keys.a });
    const chatError = await streamedError(compatible.chatModel(MODEL));
    expect(APICallError.isInstance(chatError)).toBe(true);
    expect(chatError).toMatchObject({ statusCode: 400, isRetryable: false });

    const responses = createOpenAI({ baseURL, apiKey: h.keys.a }).responses(MODEL);
    const responsesError = await streamedError(responses);
    expect(APICallError.isInstance(responsesError)).toBe(true);
    expect(responsesError).toMatchObject({ statusCode: 400, isRetryable: false });
  });
});
