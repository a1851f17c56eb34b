import type { Job } from "@reasonq/core";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { auth, openAIClient, useHarness } from "./harness.ts";

/** Fields gateways add to OpenAI's shapes, which the SDK passes through untyped. */
interface ReasoningMessage {
  content: string | null;
  reasoning_content?: string;
  thinking_blocks?: unknown[];
}

describe("OpenAI-compatible surface, through the official openai SDK", () => {
  const h = useHarness({ kind: "pglite" }, { workers: 1 });
  let client: OpenAI;
  beforeAll(async () => {
    client = await openAIClient(h);
  });

  it("answers chat.completions.create with reasoning_content, reasoning tokens, and a job behind it", async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: "sim/reasoner",
        messages: [{ role: "user", content: "What is 17*23?" }],
        reasoning_effort: "high",
      })
      .withResponse();
    const message = data.choices[0]?.message as unknown as ReasoningMessage;
    expect(message.content).toContain("391");
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));

    const jobId = response.headers.get("x-reasonq-job-id");
    expect(jobId).toBe(data.id);
    const job = (await h.app.inject({ method: "GET", url: `/v1/jobs/${jobId}`, headers: auth(h.keys.a) })).json<Job>();
    expect(job.status).toBe("succeeded");
    expect(job.output?.reasoning).toBe(message.reasoning_content);
    expect(job.resolved_params).toMatchObject({ effort: "high" });
    expect(job.cost).not.toBeNull();
  });

  it("accepts Anthropic's native thinking form as an extra body field", async () => {
    const data = await client.chat.completions.create({
      model: "sim/reasoner",
      messages: [{ role: "user", content: "What is 12*11?" }],
      // @ts-expect-error: not an OpenAI field; gateways accept it and so does reasonq
      thinking: { type: "enabled", budget_tokens: 2000 },
    });
    expect(data.choices[0]?.message.content).toContain("132");
    const job = (
      await h.app.inject({ method: "GET", url: `/v1/jobs/${data.id}`, headers: auth(h.keys.a) })
    ).json<Job>();
    expect(job.resolved_params).toMatchObject({ budget_tokens: 2000 });
  });

  it("streams reasoning_content deltas, then content deltas, then a usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "sim/reasoner",
      messages: [{ role: "user", content: "What is 21*19? [sim:tps=2000]" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let reasoning = "";
    let content = "";
    let firstContentAfterReasoning = true;
    let usageChunk: OpenAI.CompletionUsage | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      if (chunk.usage) usageChunk = chunk.usage;
      const choice = chunk.choices[0];
      if (choice === undefined) continue;
      const delta = choice.delta as ReasoningMessage;
      if (delta.reasoning_content) {
        if (content !== "") firstContentAfterReasoning = false;
        reasoning += delta.reasoning_content;
      }
      if (delta.content) content += delta.content;
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    expect(firstContentAfterReasoning).toBe(true);
    expect(content).toContain("399");
    expect(finish).toBe("stop");
    expect(usageChunk?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    const jobs = (await h.app.inject({ method: "GET", url: "/v1/jobs?limit=1", headers: auth(h.keys.a) })).json();
    const job = jobs.data[0] as Job;
    expect(job.output?.reasoning).toBe(reasoning);
    expect(job.output?.answer).toBe(content);
  });

  it("omits reasoning_content for a model that does not reason", async () => {
    const data = await client.chat.completions.create({
      model: "sim/echo",
      messages: [{ role: "user", content: "hello there" }],
    });
    const message = data.choices[0]?.message as unknown as ReasoningMessage;
    expect(message.content?.length).toBeGreaterThan(0);
    expect("reasoning_content" in message).toBe(false);
  });

  it("refuses what it cannot honour with an error the SDK raises", async () => {
    await expect(
      client.chat.completions.create({ model: "sim/reasoner", messages: [{ role: "user", content: "hi" }], n: 2 }),
    ).rejects.toMatchObject({ status: 400, code: "unsupported_parameter", param: "n" });
    await expect(
      client.chat.completions.create({ model: "no/such-model", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 404, code: "model_not_found", param: "model" });
  });

  it("lists the catalog through models.list()", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["sim/reasoner", "sim/hasty"]));
  });
});
