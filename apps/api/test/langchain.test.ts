import { AIMessage, type AIMessageChunk, type BaseMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI, type ChatOpenAIFields } from "@langchain/openai";
import type { Job } from "@reasonq/core";
import { type MockServer, startOpenAIMock } from "@reasonq/mock-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { auth, type Harness, startHarness } from "./harness.ts";

const KEY = "test-provider-key-0123456789";

/** LangChain's ChatOpenAI, unchanged, against /v1/chat/completions and /v1/responses. */
describe("LangChain (@langchain/openai ChatOpenAI)", () => {
  let h: Harness;
  let openai: MockServer;
  let baseURL: string;

  beforeAll(async () => {
    openai = await startOpenAIMock({ apiKey: KEY, reasoningDelayMs: 0 });
    h = await startHarness(
      { kind: "pglite" },
      { connections: { openai: { apiKey: KEY, baseUrl: `${openai.url}/v1` } } },
    );
    await h.startWorker();
    baseURL = `${await h.listen()}/v1`;
  });
  afterAll(async () => {
    await h.close();
    await openai.close();
  });

  /** ChatOpenAI as its docs build it for an OpenAI-compatible server: a base URL and a key. */
  const chat = (fields: ChatOpenAIFields) =>
    new ChatOpenAI({ apiKey: h.keys.a, configuration: { baseURL }, maxRetries: 0, ...fields });

  async function job(id: string): Promise<Job> {
    return (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) })).json<Job>();
  }

  const weather = tool(async ({ city }) => `18°C and sunny in ${city}`, {
    name: "get_weather",
    description: "The weather in a city",
    schema: z.object({ city: z.string() }),
  });

  /** question → tool call → ToolMessage → final answer, with the history sent back each turn. */
  async function toolRoundTrip(model: ChatOpenAI) {
    const withTools = model.bindTools([weather]);
    const history: BaseMessage[] = [new HumanMessage("What is the weather in Paris?")];
    const first = await withTools.invoke(history);
    expect(first.tool_calls).toHaveLength(1);
    const call = first.tool_calls?.[0];
    expect(call).toMatchObject({ name: "get_weather", args: { city: expect.any(String) } });
    history.push(first, await weather.invoke(call as NonNullable<typeof call>));
    expect(history.at(-1)).toBeInstanceOf(ToolMessage);
    const second = await withTools.invoke(history);
    expect(second.tool_calls ?? []).toHaveLength(0);
    expect(second.text).toContain("18°C and sunny");
    // A further turn on the same history still goes through: the tool messages are accepted again.
    history.push(second, new HumanMessage("Thanks. And in Rome?"));
    const third = await withTools.invoke(history);
    expect(third.tool_calls?.[0]?.name).toBe("get_weather");
  }

  /** The call streamed in chunks comes out whole when they are concatenated, and the loop goes on from it. */
  async function streamedToolCall(model: ChatOpenAI) {
    const withTools = model.bindTools([weather]);
    const question = new HumanMessage("What is the weather in Paris?");
    let whole: AIMessageChunk | undefined;
    for await (const chunk of await withTools.stream([question]))
      whole = whole === undefined ? chunk : whole.concat(chunk);
    expect(whole?.tool_calls).toEqual([
      expect.objectContaining({ name: "get_weather", args: { city: expect.any(String) } }),
    ]);
    const call = whole?.tool_calls?.[0] as NonNullable<AIMessageChunk["tool_calls"]>[number];
    const answer = await withTools.invoke([question, whole as AIMessageChunk, await weather.invoke(call)]);
    expect(answer.text).toContain("18°C and sunny");
  }

  it("invoke: the answer, usage metadata and the job behind it", async () => {
    const answer = await chat({ model: "sim/reasoner" }).invoke("What is 17*23?");
    expect(answer).toBeInstanceOf(AIMessage);
    expect(answer.content).toContain("391");
    expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(answer.id).toMatch(/^job_/);
    expect((await job(answer.id as string)).status).toBe("succeeded");
  });

  it("stream: the chunks concatenate to the answer the job stored, with usage", async () => {
    let whole: AIMessageChunk | undefined;
    let chunks = 0;
    for await (const chunk of await chat({ model: "sim/reasoner" }).stream("What is 21*19?")) {
      whole = whole === undefined ? chunk : whole.concat(chunk);
      chunks++;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(whole?.content).toContain("399");
    expect(whole?.usage_metadata?.output_tokens).toBeGreaterThan(0);
    const stored = await job(whole?.id as string);
    expect(stored.output?.answer).toBe(whole?.content);
    expect(whole?.additional_kwargs.reasoning_content).toBe(stored.output?.reasoning);
  });

  it("batch: one answer per input, in order", async () => {
    const answers = await chat({ model: "sim/echo" }).batch(["first", "second", "third"]);
    expect(answers.map((a) => a.content)).toEqual([
      expect.stringContaining("first"),
      expect.stringContaining("second"),
      expect.stringContaining("third"),
    ]);
  });

  it("reasoning: effort reaches the job, the reasoning text comes back in additional_kwargs", async () => {
    const answer = await chat({ model: "sim/reasoner", modelKwargs: { reasoning_effort: "high" } }).invoke(
      "What is 12*11?",
    );
    expect(answer.content).toContain("132");
    expect(answer.additional_kwargs.reasoning_content).toEqual(expect.any(String));
    expect(answer.usage_metadata?.output_token_details?.reasoning).toBeGreaterThan(0);
    expect((await job(answer.id as string)).resolved_params).toMatchObject({ effort: "high" });

    // On a name LangChain knows as a reasoning model, its own `reasoning` option is what carries the effort.
    const o4 = await chat({ model: "o4-mini", reasoning: { effort: "low" } }).invoke([
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "Explain 2+2" },
    ]);
    expect(o4.content).toEqual(expect.any(String));
    expect((await job(o4.id as string)).resolved_params).toMatchObject({ reasoning: { effort: "low" } });
  });

  it("bindTools: a tool call round trip over several turns", async () => {
    await toolRoundTrip(chat({ model: "openai/gpt-5.2" }));
  });

  it("stream with bound tools: the call arrives whole from its chunks", async () => {
    await streamedToolCall(chat({ model: "openai/gpt-5.2" }));
  });

  it("withStructuredOutput (json_schema): a parsed object", async () => {
    const Event = z.object({ name: z.string(), seats: z.number().int() });
    const structured = chat({ model: "openai/gpt-5.2" }).withStructuredOutput(Event, {
      method: "jsonSchema",
      name: "event",
    });
    const event = await structured.invoke("Plan the launch event");
    expect(Event.parse(event)).toEqual(event);
  });

  describe("useResponsesApi", () => {
    const responses = (fields: ChatOpenAIFields) => chat({ useResponsesApi: true, ...fields });

    it("invoke", async () => {
      const answer = await responses({ model: "sim/reasoner" }).invoke("What is 17*23?");
      expect(answer.text).toContain("391");
      expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);
    });

    it("stream: the chunks concatenate to the answer", async () => {
      let whole: AIMessageChunk | undefined;
      for await (const chunk of await responses({ model: "sim/reasoner" }).stream("What is 21*19?")) {
        whole = whole === undefined ? chunk : whole.concat(chunk);
      }
      expect(whole?.text).toContain("399");
    });

    it("reasoning: effort and summary asked, the summary surfaced as a reasoning content block", async () => {
      const o4 = await responses({ model: "o4-mini", reasoning: { effort: "low", summary: "auto" } }).invoke(
        "Explain 2+2",
      );
      expect(o4.contentBlocks[0]).toMatchObject({ type: "reasoning", reasoning: expect.any(String) });
      expect(o4.text).toEqual(expect.any(String));
      expect((await job(o4.id as string)).resolved_params).toMatchObject({ reasoning: { effort: "low" } });

      // Any model, when the effort goes as a raw field (LangChain sends `reasoning` only for OpenAI's names).
      const sim = await responses({
        model: "sim/reasoner",
        modelKwargs: { reasoning: { effort: "high", summary: "auto" } },
      }).invoke("What is 12*11?");
      const stored = await job(sim.id as string);
      expect(sim.contentBlocks[0]).toMatchObject({ type: "reasoning", reasoning: stored.output?.reasoning });
      expect(sim.text).toContain("132");
    });

    it("bindTools round trip", async () => {
      await toolRoundTrip(responses({ model: "openai/gpt-5.2" }));
    });

    it("stream with bound tools", async () => {
      await streamedToolCall(responses({ model: "openai/gpt-5.2" }));
    });

    it("withStructuredOutput", async () => {
      const Event = z.object({ name: z.string(), seats: z.number().int() });
      const event = await responses({ model: "openai/gpt-5.2" })
        .withStructuredOutput(Event, { method: "jsonSchema", name: "event" })
        .invoke("Plan the launch event");
      expect(Event.parse(event)).toEqual(event);
    });
  });
});
