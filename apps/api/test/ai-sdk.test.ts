import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { Job } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { weatherToolLoop } from "./ai-sdk-tool-loop.ts";
import { auth, useHarness } from "./harness.ts";

/** The Vercel AI SDK's openai-compatible provider, unchanged, against /v1/chat/completions. */
describe("Vercel AI SDK (@ai-sdk/openai-compatible)", () => {
  const h = useHarness({ kind: "pglite" }, { mocks: { anthropic: {} }, workers: 1 });

  it("runs a two-step tool loop on Claude with thinking, sending response.messages back", async () => {
    const reasonq = createOpenAICompatible({ name: "reasonq", baseURL: `${await h.listen()}/v1`, apiKey: h.keys.a });
    const model = reasonq.chatModel("anthropic/claude-sonnet-4-6");
    const providerOptions = { reasonq: { thinking: { type: "enabled", budget_tokens: 2000 } } };
    const { first, second, calls } = await weatherToolLoop(model, providerOptions);
    expect(first.finishReason).toBe("tool-calls");
    expect(first.reasoningText).toBeTruthy();
    expect(calls).toHaveLength(1);
    expect(second.finishReason).toBe("stop");
    expect(second.text).toBe("The tool returned: 18°C and sunny.");

    // The SDK sent back only the reasoning text; the thinking block reached Anthropic verbatim.
    const sent = h.mocks.anthropic.requests.at(-1)?.body as {
      messages: Array<{ content: Array<Record<string, unknown>> }>;
    };
    const jobs = (await h.app.inject({ method: "GET", url: "/v1/jobs?limit=2", headers: auth(h.keys.a) })).json<{
      data: Job[];
    }>();
    const issued = jobs.data[1]?.output?.thinking_blocks[0] as Record<string, unknown>;
    const { provider: _provider, ...block } = issued;
    expect(JSON.stringify(sent.messages[1]?.content[0])).toBe(JSON.stringify(block));
  });
});
