/**
 * Each family's batch client against its mock provider, through the official SDKs: a
 * batch result assembles to exactly what the interactive stream of the same request gives
 * (answer, reasoning, thinking blocks, usage), a request error fails only that request,
 * expiry and cancel come back as their outcomes, and an interrupted submit is found again.
 */
import type { JobSpec, ProviderEvent } from "@reasonq/core";
import { type MockServer, startAnthropicMock, startGoogleMock, startOpenAIMock } from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo, ProviderAdapter } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { createAdapters } from "../registry.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import type { BatchItemOutcome, ProviderBatchClient } from "./batch-client.ts";
import { createBatchClients } from "./batch-clients.ts";

const KEY = "sk-batch-test-0123456789";
const mocks: MockServer[] = [];
let connections: Record<string, { apiKey: string; baseUrl: string }>;

beforeAll(async () => {
  const [openai, anthropic, google] = await Promise.all([
    startOpenAIMock({ apiKey: KEY, reasoningDelayMs: 0 }),
    startAnthropicMock({ apiKey: KEY }),
    startGoogleMock({ apiKey: KEY }),
  ]);
  mocks.push(openai, anthropic, google);
  connections = {
    openai: { apiKey: KEY, baseUrl: `${openai.url}/v1` },
    anthropic: { apiKey: KEY, baseUrl: anthropic.url },
    google: { apiKey: KEY, baseUrl: google.url },
  };
});
afterAll(() => Promise.all(mocks.map((m) => m.close())));

const spec = (prompt: string): JobSpec => ({
  model: "x",
  messages: [{ role: "user", content: prompt }],
  reasoning: { include: true, enabled: true },
  sampling: {},
  metadata: {},
});

function assemble(model: ModelInfo, events: readonly ProviderEvent[]) {
  const assembler = new ResultAssembler(model, { include: true });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

async function untilEnded(client: ProviderBatchClient, id: string) {
  for (let polls = 0; polls < 20; polls++) {
    const state = await client.status(id);
    if (state.ended) return state;
  }
  throw new Error("the batch never ended");
}

const FAMILIES = [
  { family: "openai", model: "o4-mini" },
  { family: "anthropic", model: "claude-sonnet-4-6" },
  { family: "google", model: "gemini-2.5-flash" },
] as const;

describe.each(FAMILIES)("$family batch client", ({ family, model: modelName }) => {
  let adapter: ProviderAdapter;
  let client: ProviderBatchClient;
  let model: ModelInfo;
  beforeAll(() => {
    const options = { simTokensPerSecond: 1000, connections };
    adapter = createAdapters(options).get(family);
    client = createBatchClients(options).get(family) as ProviderBatchClient;
    model = catalog.resolve(modelName).model;
  });
  const entry = (customId: string, prompt: string) => ({ customId, request: adapter.prepare(spec(prompt), model) });

  it("maps each result exactly as the interactive stream of the same request", async () => {
    const id = await client.submit("pb_same", [entry("job_a", "What is 17*23?"), entry("job_b", "What is 6*7?")]);
    const state = await untilEnded(client, id);
    expect(state.failure).toBeUndefined();
    const outcomes = await client.results(id, ["job_a", "job_b"], model);
    const a = outcomes.get("job_a") as Extract<BatchItemOutcome, { kind: "succeeded" }>;
    expect(a.kind).toBe("succeeded");
    const streamed: ProviderEvent[] = [];
    const controller = new AbortController();
    for await (const event of adapter.stream(entry("x", "What is 17*23?").request, { signal: controller.signal })) {
      streamed.push(event);
    }
    const batch = assemble(model, a.events);
    const interactive = assemble(model, streamed);
    expect(batch.output.answer).toContain("391");
    expect(batch.output.answer).toBe(interactive.output.answer);
    expect(batch.output.reasoning).toBe(interactive.output.reasoning);
    expect(batch.output.finish_reason).toBe(interactive.output.finish_reason);
    expect(batch.output.thinking_blocks?.length ?? 0).toBe(interactive.output.thinking_blocks?.length ?? 0);
    expect({ ...batch.usage, cached_input_tokens: 0 }).toEqual({ ...interactive.usage, cached_input_tokens: 0 });
    expect(outcomes.get("job_b")?.kind).toBe("succeeded");
  });

  it("fails only the request that errored, with the provider's message", async () => {
    const id = await client.submit("pb_err", [entry("ok", "What is 2+2?"), entry("bad", "Hi [mock:status=400]")]);
    await untilEnded(client, id);
    const outcomes = await client.results(id, ["ok", "bad"], model);
    expect(outcomes.get("ok")?.kind).toBe("succeeded");
    const bad = outcomes.get("bad");
    expect(bad?.kind).toBe("errored");
    if (bad?.kind === "errored") expect(bad.error.type).toMatch(/invalid_request/);
  });

  it("reports expiry", async () => {
    const id = await client.submit("pb_exp", [entry("late", "What is 3+3? [mock:batch_expire]")]);
    const state = await untilEnded(client, id);
    const outcome = (await client.results(id, ["late"], model)).get("late");
    const error = outcome?.kind === "expired" ? outcome.error : state.failure;
    expect(error?.message).toMatch(/expired/);
  });

  it("stays in progress while slow, then cancels", async () => {
    const id = await client.submit("pb_cancel", [entry("c", "What is 4+4? [mock:batch_slow=5]")]);
    expect((await client.status(id)).ended).toBe(false);
    await client.cancel(id);
    await untilEnded(client, id);
    expect((await client.results(id, ["c"], model)).get("c")?.kind).toBe("canceled");
  });

  it("finds the batch an interrupted submit created, and no other", async () => {
    const since = new Date();
    const id = await client.submit("pb_find", [
      entry("f1", "What is 5+5?"),
      entry("f2", "What is 1+1?"),
      entry("f3", "2?"),
    ]);
    expect(await client.find("pb_find", { since, count: 3, known: new Set() })).toBe(id);
    expect(await client.find("pb_never", { since, count: 7, known: new Set([id]) })).toBeNull();
  });
});
