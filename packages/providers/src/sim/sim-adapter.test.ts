import { type JobSpec, type ProviderEvent, ReasonqError, type ResolvedReasoning } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../adapter.ts";
import { catalog } from "../catalog/resolve-model.ts";
import { ResultAssembler } from "../shared/assemble-result.ts";
import { createSimAdapter, type SimClock } from "./sim-adapter.ts";

/** Sleeping advances time instantly, so pacing is checked without waiting. */
function fakeClock() {
  let now = 0;
  const clock: SimClock & { elapsed: () => number } = {
    now: () => now,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      now += ms;
    },
    elapsed: () => now,
  };
  return clock;
}

const model = (id: string): ModelInfo => catalog.resolve(id).model;

function spec(
  prompt: string,
  options: { reasoning?: Partial<ResolvedReasoning> } & Partial<Omit<JobSpec, "reasoning">> = {},
): JobSpec {
  const { reasoning, ...rest } = options;
  return {
    model: "sim/reasoner",
    messages: [{ role: "user", content: prompt }],
    reasoning: { include: true, enabled: true, ...reasoning },
    sampling: {},
    metadata: {},
    ...rest,
  };
}

async function run(id: string, job: JobSpec, options: { attempt?: number; tps?: number } = {}) {
  const clock = fakeClock();
  const adapter = createSimAdapter({ tokensPerSecond: options.tps ?? 100, clock });
  const m = model(id);
  const request = adapter.prepare(job, m);
  const events: ProviderEvent[] = [];
  const assembler = new ResultAssembler(m, { include: job.reasoning.include });
  const signal = new AbortController().signal;
  for await (const event of adapter.stream(request, { signal, attempt: options.attempt ?? 1 })) {
    events.push(event);
    assembler.push(event);
  }
  return { request, events, result: assembler.result(), elapsed: clock.elapsed() };
}

describe("sim adapter: prepare", () => {
  const adapter = createSimAdapter({ tokensPerSecond: 100 });
  const refusal = (id: string, job: JobSpec) => {
    try {
      adapter.prepare(job, model(id));
    } catch (error) {
      if (ReasonqError.is(error)) return { type: error.type, field: error.field, message: error.message };
    }
    throw new Error("prepare did not refuse");
  };

  it("resolves the default effort and the output limit", () => {
    const request = adapter.prepare(spec("What is 17*23?"), model("sim/reasoner"));
    expect(request.resolvedParams).toEqual({ effort: "medium", max_tokens: 8192 });
    expect(request.warnings).toEqual([]);
  });

  it("passes budget, disabled thinking, include and sampling on as native params", () => {
    const budget = adapter.prepare(
      spec("x", { reasoning: { budget_tokens: 500, include: false } }),
      model("sim/reasoner"),
    );
    expect(budget.resolvedParams).toEqual({ budget_tokens: 500, include_reasoning: false, max_tokens: 8192 });
    const off = adapter.prepare(
      spec("x", { reasoning: { enabled: false }, sampling: { temperature: 0.2 } }),
      model("sim/hasty"),
    );
    expect(off.resolvedParams).toEqual({ thinking: "disabled", temperature: 0.2, max_tokens: 2048 });
  });

  it("adapts adaptive thinking to the default effort, with a warning", () => {
    const request = adapter.prepare(spec("x", { reasoning: { adaptive: true } }), model("sim/reasoner"));
    expect(request.resolvedParams).toMatchObject({ effort: "medium" });
    expect(request.warnings).toEqual([expect.objectContaining({ type: "adapted", field: "thinking.type" })]);
  });

  it("refuses sampling fields the model does not take", () => {
    expect(refusal("sim/reasoner", spec("x", { sampling: { temperature: 0.5 } }))).toMatchObject({
      type: "unsupported_parameter",
      field: "temperature",
    });
  });

  it("refuses tools: a simulated model never calls them", () => {
    const tools = [{ type: "function" as const, function: { name: "lookup" } }];
    expect(refusal("sim/reasoner", spec("x", { tools }))).toMatchObject({
      type: "unsupported_parameter",
      field: "tools",
    });
  });

  it("refuses an output limit above the model's", () => {
    expect(refusal("sim/hasty", spec("x", { max_output_tokens: 9000 }))).toMatchObject({
      type: "invalid_request",
      field: "max_output_tokens",
    });
  });

  it("refuses reasoning controls on sim/echo, naming the rule", () => {
    const effort = refusal("sim/echo", spec("x", { reasoning: { effort: "high" } }));
    expect(effort).toMatchObject({ type: "unsupported_parameter", field: "reasoning.effort" });
    expect(effort.message).toContain("model sim/echo does not reason");
    expect(refusal("sim/echo", spec("x", { reasoning: { budget_tokens: 100 } })).field).toBe("reasoning.budget_tokens");
    expect(adapter.prepare(spec("x", { reasoning: { include: false } }), model("sim/echo")).resolvedParams).toEqual({
      max_tokens: 2048,
    });
  });
});

describe("sim adapter: stream", () => {
  it("streams reasoning, then the answer, then usage and finish", async () => {
    const { events, result } = await run("sim/reasoner", spec("What is 17*23?"));
    const order = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    expect(order).toEqual(["response-id", "reasoning-delta", "text-delta", "usage", "finish"]);
    expect(result.output.answer).toBe("The answer is 391.");
    expect(result.output.reasoning).toContain("17 * 23 = 391");
    expect(result.output).toMatchObject({
      reasoning_kind: "full",
      finish_reason: "stop",
      provider_finish_reason: "stop",
    });
    expect(result.output.provider_response_id).toMatch(/^sim_[0-9a-f]{24}$/);
  });

  it("reports usage whose parts add up", async () => {
    for (const [id, job] of [
      ["sim/reasoner", spec("What is (12+7)*3 - 8/2?", { reasoning: { effort: "max" } })],
      ["sim/hasty", spec("Which is 6*7? A) 41 B) 42 C) 43")],
      ["sim/echo", spec("Hello, echo.")],
    ] as const) {
      const { result } = await run(id, job);
      const usage = result.usage as NonNullable<typeof result.usage>;
      expect(usage.reasoning_tokens + usage.answer_tokens).toBe(usage.output_tokens);
      expect(usage.reasoning_tokens_source).toBe("provider");
      expect(usage.input_tokens).toBeGreaterThan(0);
      expect(usage.answer_tokens).toBeGreaterThan(0);
      expect(result.output.provider_metadata).toEqual({ raw_usage: expect.any(Object) });
    }
  });

  it("paces the stream at the token rate, and [sim:tps] overrides it", async () => {
    const normal = await run("sim/reasoner", spec("What is 17*23?"), { tps: 100 });
    const tokens = (normal.result.usage as { output_tokens: number }).output_tokens;
    expect(normal.elapsed).toBeCloseTo((tokens / 100) * 1000, 0);
    const slow = await run("sim/reasoner", spec("What is 17*23? [sim:tps=10]"), { tps: 100 });
    expect(slow.elapsed).toBeCloseTo((tokens / 10) * 1000, 0);
  });

  it("caps reasoning at budget_tokens and still answers", async () => {
    const { result } = await run("sim/reasoner", spec("What is (12+7)*3 - 8/2?", { reasoning: { budget_tokens: 25 } }));
    expect(result.usage?.reasoning_tokens).toBe(25);
    expect(result.output.answer).toMatch(/^The answer is -?\d+\.$/);
    expect(result.output.finish_reason).toBe("stop");
  });

  it("stops at max_output_tokens with an empty answer when reasoning eats the limit", async () => {
    const { result } = await run("sim/reasoner", spec("What is 17*23?", { max_output_tokens: 30 }));
    expect(result.output).toMatchObject({ answer: "", finish_reason: "length", provider_finish_reason: "length" });
    expect(result.usage).toMatchObject({ output_tokens: 30, reasoning_tokens: 30, answer_tokens: 0 });
  });

  it("bills but does not show reasoning when include is false", async () => {
    const { events, result } = await run("sim/reasoner", spec("What is 17*23?", { reasoning: { include: false } }));
    expect(events.some((e) => e.type === "reasoning-delta")).toBe(false);
    expect(result.output).toMatchObject({ reasoning: "", reasoning_kind: "hidden", answer: "The answer is 391." });
    expect(result.usage?.reasoning_tokens).toBeGreaterThan(0);
  });

  it("answers without reasoning when thinking is disabled", async () => {
    const { result } = await run("sim/reasoner", spec("What is 17*23?", { reasoning: { enabled: false } }));
    expect(result.output.reasoning_kind).toBe("none");
    expect(result.usage?.reasoning_tokens).toBe(0);
    expect(result.output.answer).toMatch(/^The answer is \d+\.$/);
  });

  it("echoes the prompt, markers removed, cut at a stop sequence", async () => {
    const { result } = await run("sim/echo", spec("one two. three [sim:tps=50]", { sampling: { stop: ["."] } }));
    expect(result.output).toMatchObject({ answer: "one two", reasoning: "", reasoning_kind: "none" });
  });

  it("aborts mid-stream promptly, keeping what was streamed", async () => {
    const adapter = createSimAdapter({ tokensPerSecond: 50, clock: fakeClock() });
    const m = model("sim/reasoner");
    const controller = new AbortController();
    const assembler = new ResultAssembler(m, { include: true });
    const consume = async () => {
      for await (const event of adapter.stream(adapter.prepare(spec("What is 17*23?"), m), {
        signal: controller.signal,
      })) {
        assembler.push(event);
        if (event.type === "reasoning-delta") controller.abort();
      }
    };
    const error = await consume().then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe("AbortError");
    expect(adapter.classifyError(error).type).toBe("job_cancelled");
    expect(assembler.reasoningText.length).toBeGreaterThan(0);
    expect(assembler.result("cancelled").output.finish_reason).toBe("cancelled");
  });

  it("aborts a pending sleep", async () => {
    const blocking: SimClock = {
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("timer aborted")))),
    };
    const adapter = createSimAdapter({ tokensPerSecond: 1, clock: blocking });
    const m = model("sim/reasoner");
    const controller = new AbortController();
    const iterator = adapter
      .stream(adapter.prepare(spec("What is 2+2?"), m), { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: "response-id" });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("sim adapter: fault markers", () => {
  const failure = async (prompt: string, attempt: number) => {
    try {
      await run("sim/reasoner", spec(prompt), { attempt });
      return null;
    } catch (error) {
      return createSimAdapter({ tokensPerSecond: 1 }).classifyError(error);
    }
  };

  it("fails the first n attempts, then succeeds", async () => {
    const prompt = "What is 17*23? [sim:fail=server_error:2]";
    expect(await failure(prompt, 1)).toMatchObject({ type: "provider_server_error", providerStatus: 500 });
    expect(await failure(prompt, 2)).toMatchObject({ type: "provider_server_error" });
    expect(await failure(prompt, 3)).toBeNull();
    const { result } = await run("sim/reasoner", spec(prompt), { attempt: 3 });
    expect(result.output.answer).toBe("The answer is 391.");
  });

  it("asks for a wait when rate limited, and fails every attempt without a count", async () => {
    const limited = await failure("What is 1+1? [sim:fail=rate_limited]", 7);
    expect(limited).toMatchObject({ type: "provider_rate_limited", retryAfterMs: 200, providerStatus: 429 });
    expect(await failure("[sim:fail=invalid_request:1] What is 1+1?", 1)).toMatchObject({
      type: "provider_invalid_request",
    });
  });

  it("drops the stream halfway through the reasoning", async () => {
    const adapter = createSimAdapter({ tokensPerSecond: 1000, clock: fakeClock() });
    const m = model("sim/reasoner");
    const assembler = new ResultAssembler(m, { include: true });
    const request = adapter.prepare(spec("What is 17*23? [sim:fail=stream_dropped:1]"), m);
    const error = await (async () => {
      for await (const event of adapter.stream(request, { signal: new AbortController().signal }))
        assembler.push(event);
    })().then(
      () => null,
      (e: unknown) => adapter.classifyError(e),
    );
    expect(error?.type).toBe("provider_stream_dropped");
    expect(assembler.reasoningText.length).toBeGreaterThan(0);
    expect(assembler.answerText).toBe("");
    expect(assembler.result().output.finish_reason).toBe("error");
  });

  it("leaves malformed markers in the prompt as ordinary text", async () => {
    const prompt = "[sim:fail=explode:1] [sim:tps=fast] [sim:tps=0]";
    expect(await failure(prompt, 1)).toBeNull();
    const { result } = await run("sim/echo", spec(prompt));
    expect(result.output.answer).toBe(prompt);
  });
});
