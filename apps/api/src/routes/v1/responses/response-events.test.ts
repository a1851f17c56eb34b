import { type Job, OUTPUT_SCHEMA_VERSION, type StoredResponseRequest } from "@reasonq/core";
import { describe, expect, it } from "vitest";
import { ResponseEventMapper } from "./response-events.ts";
import { responseObject } from "./response-object.ts";

const request: StoredResponseRequest = {
  instructions: null,
  previous_response_id: null,
  input: [],
  tools: [],
  tool_choice: "auto",
  reasoning: { effort: null, summary: "auto" },
  include: [],
  text: { format: { type: "text" } },
  max_output_tokens: null,
  temperature: null,
  top_p: null,
  parallel_tool_calls: true,
  background: true,
  store: true,
};

const job = (over: Partial<Job> = {}): Job => ({
  id: "job_1",
  object: "job",
  status: "succeeded",
  model: "sim/reasoner",
  provider: "sim",
  source: "api",
  created_at: "2026-12-06T18:00:00.000Z",
  started_at: null,
  first_token_at: null,
  completed_at: "2026-12-06T18:00:01.000Z",
  attempts: 1,
  resolved_params: null,
  batch_id: null,
  provider_batch_id: null,
  metadata: {},
  output: {
    schema_version: OUTPUT_SCHEMA_VERSION,
    answer: "391",
    reasoning: "17*23",
    reasoning_kind: "full",
    thinking_blocks: [],
    tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
    finish_reason: "tool_calls",
    provider_finish_reason: null,
    provider_response_id: null,
    provider_metadata: {},
  },
  usage: null,
  cost: null,
  incomplete_reason: null,
  warnings: [],
  error: null,
  ...over,
});

const mapper = () =>
  new ResponseEventMapper("job_1", [], (done) => responseObject(done ?? job({ status: "queued" }), request));

describe("ResponseEventMapper", () => {
  it("numbers the same log the same way every time, and closes every item it opened", () => {
    const log = [
      { type: "status", status: "running", attempt: 1 } as const,
      { type: "reasoning.delta", attempt: 1, text: "17*" } as const,
      { type: "reasoning.delta", attempt: 1, text: "23" } as const,
      { type: "answer.delta", attempt: 1, text: "391" } as const,
      { type: "done", job: job() } as const,
    ];
    const run = () => {
      const m = mapper();
      return [...m.start(), ...log.flatMap((event) => m.map(event))];
    };
    const events = run();
    expect(events).toEqual(run());
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const completed = events.at(-1) as unknown as { response: { output: Array<{ id: string }> } };
    expect(completed.response.output.map((item) => item.id)).toEqual(["rs_job_1", "msg_job_1", "fc_call_1"]);
  });

  it("sends whole items for an answer that came without deltas, and a cancelled end as response.failed", () => {
    const m = mapper();
    const plain = m.map({ type: "done", job: job() });
    expect(plain.filter((e) => e.type === "response.output_text.delta")).toHaveLength(1);
    const cancelled = mapper().map({ type: "done", job: job({ status: "cancelled", output: null }) });
    expect(cancelled.at(-1)).toMatchObject({ type: "response.failed", response: { status: "cancelled" } });
  });
});
