import type { Job } from "@reasonq/core";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, useHarness } from "./harness.ts";

/** The OpenAI mock thinks this long before its first token: a slow model, for timeouts. */
const OPENAI_THINKS_MS = 1500;
/** Longer than the SDK's default backoff before its second retry (at most 1 s). */
const GRACE_MS = 1500;

/**
 * The OpenAI-compatible surface as the official SDK sees it, with its default retries:
 * OpenAI's error shape and classes, a provider's 4xx kept, retries that never run a
 * second job, cancelled abandoned calls, recorded and refused standard fields.
 */
describe("an SDK-faithful chat completions surface, through the openai SDK against the mocks", () => {
  const h = useHarness(
    { kind: "pglite" },
    {
      mocks: { openai: { reasoningDelayMs: OPENAI_THINKS_MS }, anthropic: {}, google: {}, deepseek: {} },
      env: { REASONQ_DISCONNECT_GRACE_MS: String(GRACE_MS), REASONQ_JOB_ATTEMPTS: "2" },
      workers: 1,
    },
  );
  let baseURL: string;
  beforeAll(async () => {
    baseURL = `${await h.listen()}/v1`;
  });

  /** The SDK as users build it: default retries unless a test says otherwise. */
  const sdk = (options: ConstructorParameters<typeof OpenAI>[0] = {}) =>
    new OpenAI({ baseURL, apiKey: h.keys.a, ...options });

  async function jobsTagged(tag: string): Promise<Job[]> {
    const res = await h.app.inject({ method: "GET", url: `/v1/jobs?metadata=test:${tag}`, headers: auth(h.keys.a) });
    return res.json<{ data: Job[] }>().data;
  }
  async function finalJob(id: string): Promise<Job> {
    const res = await h.app.inject({ method: "GET", url: `/v1/jobs/${id}?wait=30`, headers: auth(h.keys.a) });
    return res.json<Job>();
  }
  async function onlyJobTagged(tag: string): Promise<Job> {
    const jobs = await jobsTagged(tag);
    expect(jobs).toHaveLength(1);
    return finalJob((jobs[0] as Job).id);
  }
  const ask = (model: string, content: string, tag: string) => ({
    model,
    messages: [{ role: "user" as const, content }],
    metadata: { test: tag },
  });

  it("answers errors in OpenAI's shape, which the SDK raises as its own classes with code and param", async () => {
    const client = sdk({ maxRetries: 0 });
    await expect(sdk({ apiKey: "not-a-key-of-this-server" }).models.list()).rejects.toSatisfy(
      (e) => e instanceof OpenAI.AuthenticationError && e.code === "authentication_error",
    );
    const unknown = client.chat.completions.create(ask("no/such-model", "hi", "errors"));
    await expect(unknown).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(unknown).rejects.toMatchObject({ status: 404, code: "model_not_found", param: "model" });
    const invalid = client.chat.completions.create({ ...ask("sim/echo", "hi", "errors"), temperature: 7 });
    await expect(invalid).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(invalid).rejects.toMatchObject({
      code: "invalid_request",
      param: "temperature",
      type: "invalid_request_error",
    });
    await expect(client.models.retrieve("no/such-model")).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
    });
    expect(await jobsTagged("errors")).toEqual([]);

    // reasonq's own routes keep reasonq's shape; /v1/jobs names an unknown model as a bad field.
    const job = await h.app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth(h.keys.a),
      payload: { model: "no/such-model", prompt: "hi" },
    });
    expect(job.statusCode).toBe(400);
    expect(job.json().error).toMatchObject({ type: "unknown_model", field: "model" });
  });

  it("retrieves a model in OpenAI's model shape, by catalog id or bare name", async () => {
    const client = sdk();
    const model = await client.models.retrieve("sim/reasoner");
    expect(model).toMatchObject({ id: "sim/reasoner", object: "model", owned_by: "sim" });
    expect(typeof model.created).toBe("number");
    expect(await client.models.retrieve("o3-mini")).toMatchObject({ id: "openai/o3-mini", object: "model" });
  });

  it.each([
    { model: "claude-sonnet-4-6", status: 400, code: "provider_invalid_request", errorClass: OpenAI.BadRequestError },
    { model: "gemini-2.5-flash", status: 403, code: "provider_auth", errorClass: OpenAI.PermissionDeniedError },
    { model: "o3-mini", status: 404, code: "provider_not_found", errorClass: OpenAI.NotFoundError },
  ])("$model: a provider's $status comes back as $status, once", async ({ model, status, code, errorClass }) => {
    const tag = `provider-${status}`;
    const call = sdk().chat.completions.create(ask(model, `Explain 2+2 [mock:status=${status}]`, tag));
    await expect(call).rejects.toBeInstanceOf(errorClass);
    await expect(call).rejects.toMatchObject({ status, code });
    // The SDK's default retries would have run a second job: 4xx is not retried.
    expect((await onlyJobTagged(tag)).status).toBe("failed");
  });

  it("a job that failed after its own retries tells the SDK not to retry it", async () => {
    const call = sdk().chat.completions.create(ask("deepseek-v4-pro", "Explain 2+2 [mock:status=500]", "p500"));
    await expect(call).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(call).rejects.toMatchObject({ status: 502, code: "provider_server_error" });
    const job = await onlyJobTagged("p500");
    expect(job).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("Idempotency-Key: a retry while the first call runs attaches to its job; another body is a 409", async () => {
    const client = sdk();
    const headers = { "Idempotency-Key": "order-17" };
    const body = ask("o4-mini", "Explain 5+5", "idem");
    const [first, second] = await Promise.all([
      client.chat.completions.create(body, { headers }),
      client.chat.completions.create(body, { headers }),
    ]);
    expect(second.id).toBe(first.id);
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect((await onlyJobTagged("idem")).status).toBe("succeeded");

    const other = client.chat.completions.create(ask("o4-mini", "Explain 6+6", "idem"), { headers });
    await expect(other).rejects.toBeInstanceOf(OpenAI.ConflictError);
    await expect(other).rejects.toMatchObject({ code: "conflict", param: "idempotency-key" });
  });

  it("an SDK timeout and its default retries run one job, which a retry answers", async () => {
    const retries: string[] = [];
    const client = sdk({
      timeout: 1000,
      fetch: async (url, init) => {
        retries.push(new Headers(init?.headers).get("x-stainless-retry-count") ?? "none");
        return fetch(url, init);
      },
    });
    const completion = await client.chat.completions.create(ask("o4-mini", "Explain 7+7", "timeout-ok"));
    expect(retries.length).toBeGreaterThan(1);
    expect(retries.slice(0, 2)).toEqual(["0", "1"]);
    const job = await onlyJobTagged("timeout-ok");
    expect(job).toMatchObject({ id: completion.id, status: "succeeded", attempts: 1 });
    expect(completion.choices[0]?.message.content).toBe(job.output?.answer);
  });

  it("an SDK call that times out for good leaves exactly one job, cancelled after the grace period", async () => {
    const client = sdk({ timeout: 400 });
    const call = client.chat.completions.create(ask("o4-mini", "Explain 8+8 [mock:trickle_ms=1500]", "timeout-gone"));
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const job = await onlyJobTagged("timeout-gone");
    expect(job.status).toBe("cancelled");
  });

  it("responses.create: an SDK timeout and its default retries run one job; one that times out for good is cancelled", async () => {
    const client = sdk({ timeout: 1000 });
    const response = await client.responses.create({
      model: "o4-mini",
      input: "Explain 10+10",
      metadata: { test: "responses-timeout-ok" },
    });
    const job = await onlyJobTagged("responses-timeout-ok");
    expect(job).toMatchObject({ id: response.id, status: "succeeded", attempts: 1 });
    expect(response.output_text).toBe(job.output?.answer);

    const gone = sdk({ timeout: 400 }).responses.create({
      model: "o4-mini",
      input: "Explain 11+11 [mock:trickle_ms=1500]",
      metadata: { test: "responses-timeout-gone" },
    });
    await expect(gone).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect((await onlyJobTagged("responses-timeout-gone")).status).toBe("cancelled");
  });

  it("responses.create: a provider's 4xx comes back as the same 4xx in OpenAI's shape, once", async () => {
    const call = sdk().responses.create({
      model: "o3-mini",
      input: "Hi [mock:status=404]",
      metadata: { test: "responses-404" },
    });
    await expect(call).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(call).rejects.toMatchObject({ status: 404, code: "provider_not_found" });
    expect((await onlyJobTagged("responses-404")).status).toBe("failed");
  });

  it("a streaming call whose client goes away cancels its job", async () => {
    const stream = await sdk().chat.completions.create({
      ...ask("o4-mini", "Explain 9+9 [mock:trickle_ms=1500]", "stream-gone"),
      stream: true,
    });
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      break;
    }
    expect((await onlyJobTagged("stream-gone")).status).toBe("cancelled");
  });

  it("records the standard fields that do not change the answer on the job", async () => {
    const recorded = {
      store: true,
      service_tier: "default" as const,
      safety_identifier: "user-hash-42",
      prompt_cache_key: "tenant-7",
      parallel_tool_calls: true,
      modalities: ["text" as const],
      prediction: { type: "content" as const, content: "4" },
    };
    const completion = await sdk().chat.completions.create({
      ...ask("claude-sonnet-4-6", "Explain 2+2", "recorded"),
      ...recorded,
      user: "end-user-1",
    });
    const job = await finalJob(completion.id);
    expect(job.status).toBe("succeeded");
    expect(job.client_params).toEqual(recorded);
    expect(job.metadata).toMatchObject({ user: "end-user-1", test: "recorded" });
  });

  it.each([
    ["logprobs", { logprobs: true }],
    ["top_logprobs", { top_logprobs: 3 }],
    ["n", { n: 2 }],
    ["audio", { audio: { voice: "alloy", format: "mp3" } }],
    ["modalities", { modalities: ["text", "audio"] }],
    ["service_tier", { service_tier: "flex" }],
    ["frequency_penalty", { frequency_penalty: 0.5 }],
  ])("refuses %s, which it cannot honour, naming the field", async (field, extra) => {
    const call = sdk().chat.completions.create({ ...ask("claude-sonnet-4-6", "hi", "refused"), ...extra } as never);
    await expect(call).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(call).rejects.toMatchObject({ code: "unsupported_parameter", param: field });
    expect(await jobsTagged("refused")).toEqual([]);
  });

  it("responses.create records the standard fields that do not change the answer on the job", async () => {
    const recorded = {
      store: true,
      service_tier: "default" as const,
      safety_identifier: "user-hash-42",
      prompt_cache_key: "tenant-7",
      parallel_tool_calls: true,
      truncation: "disabled" as const,
    };
    const response = await sdk().responses.create({
      model: "claude-sonnet-4-6",
      input: "Explain 2+2",
      metadata: { test: "responses-recorded" },
      ...recorded,
    });
    const job = await finalJob(response.id);
    expect(job.status).toBe("succeeded");
    expect(job.client_params).toEqual(recorded);
  });

  it.each([
    ["service_tier", { service_tier: "flex" }],
    ["truncation", { truncation: "auto" }],
    ["top_logprobs", { top_logprobs: 3 }],
    ["conversation", { conversation: "conv_123" }],
    ["text.verbosity", { text: { verbosity: "low" } }],
  ])("responses.create refuses %s, which it cannot honour, naming the field", async (field, extra) => {
    const call = sdk().responses.create({
      model: "claude-sonnet-4-6",
      input: "hi",
      metadata: { test: "responses-refused" },
      ...extra,
    } as never);
    await expect(call).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(call).rejects.toMatchObject({ code: "unsupported_parameter", param: field });
    expect(await jobsTagged("responses-refused")).toEqual([]);
  });
});
