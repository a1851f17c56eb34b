import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { type ProviderEvent, ReasonqError } from "@reasonq/core";
import { type MockServer, startMockServer } from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createAnthropicAdapter } from "./anthropic-adapter.ts";
import { ANTHROPIC_MODELS } from "./anthropic-models.ts";
import { mapAnthropicResponse } from "./map-anthropic-response.ts";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const model = ANTHROPIC_MODELS.find((m) => m.model === "claude-sonnet-4-6") as (typeof ANTHROPIC_MODELS)[number];

function assemble(events: Iterable<ProviderEvent>, include = true) {
  const assembler = new ResultAssembler(model, { include });
  for (const event of events) assembler.push(event);
  return assembler.result();
}

/** Replays the recorded-shape SSE file as the body of a 200, through the real SDK and adapter. */
let replay: MockServer;
/** The same stream with a 400 ms thinking silence kept alive only by `ping`s (as with `display: "omitted"`). */
let pinging: MockServer;
beforeAll(async () => {
  const events = fixture("anthropic-thinking.chunks.txt").split("\n\n");
  replay = await startMockServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end(events.join("\n\n"));
  });
  pinging = await startMockServer(async (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(`${events.slice(0, 2).join("\n\n")}\n\n`);
    for (let i = 0; i < 20; i++) {
      await delay(20);
      response.write('event: ping\ndata: {"type": "ping"}\n\n');
    }
    response.end(events.slice(2).join("\n\n"));
  });
});
afterAll(async () => {
  await replay.close();
  await pinging.close();
});

const JOB = {
  model: model.id,
  messages: [{ role: "user" as const, content: "Are there infinitely many primes p ≡ 3 mod 4?" }],
  reasoning: { include: true, enabled: true, budget_tokens: 10_000 },
  sampling: {},
  metadata: {},
};

describe("mapAnthropicResponse", () => {
  it("maps the recorded-shape response: thinking and redacted blocks verbatim, cache inside input", () => {
    const body = JSON.parse(fixture("anthropic-thinking.json"));
    const { output, usage } = assemble(mapAnthropicResponse(body));
    expect(output).toMatchObject({
      answer: "Yes. Assume finitely many such primes and derive a contradiction.",
      reasoning: "Primes ≡ 3 mod 4: suppose finitely many, form 4·P−1 and look at its factors.",
      reasoning_kind: "summary",
      thinking_blocks: body.content.slice(0, 2),
      finish_reason: "stop",
      provider_finish_reason: "end_turn",
      provider_response_id: "msg_01XyZ",
    });
    expect(usage).toEqual({
      input_tokens: 1252,
      cached_input_tokens: 1200,
      cache_write_tokens: 0,
      output_tokens: 2210,
      reasoning_tokens: 1840,
      answer_tokens: 370,
      reasoning_tokens_source: "provider",
    });
  });

  it("gives the same result as the stream of the same response (replayed through the adapter)", async () => {
    const adapter = createAnthropicAdapter({ apiKey: "k", baseUrl: replay.url });
    const request = adapter.prepare(JOB, model);
    const streamed: ProviderEvent[] = [];
    for await (const event of adapter.stream(request, { signal: new AbortController().signal })) streamed.push(event);
    const mapped = adapter.mapResponse?.(JSON.parse(fixture("anthropic-thinking.json")), model) ?? [];
    expect(assemble(streamed)).toEqual(assemble(mapped));
    // Usage went out after message_start (placeholder output) and after message_delta (totals).
    expect(streamed.filter((e) => e.type === "usage").map((e) => e.type === "usage" && e.usage.output_tokens)).toEqual([
      5, 2210,
    ]);
  });

  it("counts pings as signs of life: a 400 ms thinking silence with pings passes a 150 ms idle guard", async () => {
    const adapter = createAnthropicAdapter({ apiKey: "k", baseUrl: pinging.url }, { idleTimeoutMs: 150 });
    const events: ProviderEvent[] = [];
    for await (const event of adapter.stream(adapter.prepare(JOB, model), { signal: new AbortController().signal })) {
      events.push(event);
    }
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop", raw: "end_turn" });
  });

  it("a response that spent max_tokens thinking finishes `length` with an empty answer", () => {
    const { output, usage } = assemble(mapAnthropicResponse(JSON.parse(fixture("anthropic-length.json"))));
    expect(output).toMatchObject({
      finish_reason: "length",
      answer: "",
      reasoning: "Let me enumerate every case before answering",
    });
    expect(usage).toMatchObject({ output_tokens: 2048, reasoning_tokens_source: "estimated" });
    expect((usage?.reasoning_tokens ?? 0) + (usage?.answer_tokens ?? 0)).toBe(2048);
  });

  it("separates the texts of several thinking blocks, as the stream does", () => {
    const events = mapAnthropicResponse({
      id: "msg_1",
      content: [
        { type: "thinking", thinking: "First.", signature: "s1" },
        { type: "thinking", thinking: "Second.", signature: "s2" },
        { type: "text", text: "Done." },
      ],
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 9 },
    });
    expect(assemble(events).output.reasoning).toBe("First.\n\nSecond.");
  });

  it("refuses something that is not a Messages response", () => {
    expect(() => mapAnthropicResponse({ choices: [] })).toThrow(ReasonqError);
  });
});
