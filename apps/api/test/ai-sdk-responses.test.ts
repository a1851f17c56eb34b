import { createOpenAI } from "@ai-sdk/openai";
import type { Job } from "@reasonq/core";
import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { weatherToolLoop } from "./ai-sdk-tool-loop.ts";
import { auth, useHarness } from "./harness.ts";

/** The Vercel AI SDK's own OpenAI provider in Responses mode (`openai.responses(model)`), unchanged, on Claude. */
describe("Vercel AI SDK (@ai-sdk/openai, Responses API)", () => {
  const h = useHarness({ kind: "pglite" }, { mocks: { anthropic: {} }, workers: 1 });

  const providerOptions = { openai: { forceReasoning: true, reasoningEffort: "low", reasoningSummary: "auto" } };

  it("generates and streams text with the reasoning summary", async () => {
    const openai = createOpenAI({ baseURL: `${await h.listen()}/v1`, apiKey: h.keys.a });
    const model = openai.responses("anthropic/claude-sonnet-4-6");
    const result = await generateText({ model, prompt: "What is 17*23?", providerOptions });
    expect(result.text).toContain("391");
    expect(result.reasoningText).toBeTruthy();
    expect(result.usage.outputTokenDetails.reasoningTokens).toBeGreaterThan(0);
    const id = result.response.id;
    const job = (await h.app.inject({ method: "GET", url: `/v1/jobs/${id}`, headers: auth(h.keys.a) })).json<Job>();
    expect(job.output?.answer).toBe(result.text);

    const streamed = streamText({ model, prompt: "What is 12*11?", providerOptions });
    expect(await streamed.text).toContain("132");
    expect(await streamed.reasoningText).toBeTruthy();
  });

  it("runs a two-step tool loop, sending response.messages back", async () => {
    const openai = createOpenAI({ baseURL: `${await h.listen()}/v1`, apiKey: h.keys.a });
    const model = openai.responses("anthropic/claude-sonnet-4-6");
    const { first, second } = await weatherToolLoop(model, providerOptions);
    expect(first.finishReason).toBe("tool-calls");
    expect(second.text).toBe("The tool returned: 18°C and sunny.");
    const sent = h.mocks.anthropic.requests.at(-1)?.body as {
      messages: Array<{ content: Array<Record<string, unknown>> }>;
    };
    expect(sent.messages[1]?.content[0]).toMatchObject({ type: "thinking" });
  });
});
