import type { Job, JobStatus, ResponseOutputItem, ResponseStatus, StoredResponseRequest } from "@reasonq/core";
import { encodeReasoning, reasoningItemId } from "./to-messages.ts";

export const STATUS: Record<JobStatus, ResponseStatus> = {
  queued: "queued",
  running: "in_progress",
  succeeded: "completed",
  incomplete: "incomplete",
  failed: "failed",
  cancelled: "cancelled",
};

export const messageItemId = (jobId: string) => `msg_${jobId}`;
export const callItemId = (callId: string) => `fc_${callId}`;

const seconds = (iso: string | null) => (iso === null ? null : Math.floor(Date.parse(iso) / 1000));

/**
 * A finished job's output items in OpenAI's order: its reasoning (summary when it was asked
 * for; `encrypted_content` carrying the thinking blocks when included), its message, then
 * one `function_call` per tool call.
 */
export function outputItems(job: Job, include: readonly string[]): ResponseOutputItem[] {
  const output = job.output;
  if (output === null) return [];
  const items: ResponseOutputItem[] = [];
  const itemStatus = job.status === "succeeded" ? "completed" : "incomplete";
  if (output.reasoning !== "" || output.thinking_blocks.length > 0) {
    items.push({
      type: "reasoning",
      id: reasoningItemId(job.id),
      summary: output.reasoning === "" ? [] : [{ type: "summary_text", text: output.reasoning }],
      ...(include.includes("reasoning.encrypted_content")
        ? { encrypted_content: output.thinking_blocks.length > 0 ? encodeReasoning(output.thinking_blocks) : null }
        : {}),
    });
  }
  if (output.answer !== "") {
    items.push({
      type: "message",
      id: messageItemId(job.id),
      role: "assistant",
      status: itemStatus,
      content: [{ type: "output_text", text: output.answer, annotations: [], logprobs: [] }],
    });
  }
  for (const call of output.tool_calls ?? []) {
    items.push({
      type: "function_call",
      id: callItemId(call.id),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: "completed",
    });
  }
  return items;
}

function usageOf(job: Job) {
  const u = job.usage;
  if (u === null) return null;
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_input_tokens },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

function errorOf(job: Job) {
  if (job.status !== "failed" && job.status !== "cancelled") return null;
  return {
    code: job.error?.type ?? (job.status === "cancelled" ? "cancelled" : "server_error"),
    message: job.error?.message ?? `the response was ${job.status}`,
  };
}

/**
 * The OpenAI `Response` object of a job. Beside OpenAI's fields it carries reasonq's exact
 * `cost` (decimal strings) and the `job_id` (the same id, so it shows in /v1/jobs).
 */
export function responseObject(
  job: Job,
  request: StoredResponseRequest,
  options: { include?: readonly string[]; output?: ResponseOutputItem[]; status?: ResponseStatus } = {},
) {
  const include = [...request.include, ...(options.include ?? [])];
  const status = options.status ?? STATUS[job.status];
  return {
    id: job.id,
    object: "response" as const,
    created_at: seconds(job.created_at) ?? 0,
    completed_at: status === "completed" ? seconds(job.completed_at) : null,
    status,
    background: request.background,
    error: errorOf(job),
    incomplete_details: job.status === "incomplete" ? { reason: job.incomplete_reason ?? "max_output_tokens" } : null,
    instructions: request.instructions,
    max_output_tokens: request.max_output_tokens,
    model: job.model,
    output: options.output ?? outputItems(job, include),
    parallel_tool_calls: request.parallel_tool_calls,
    previous_response_id: request.previous_response_id,
    reasoning: request.reasoning,
    store: request.store,
    temperature: request.temperature,
    text: request.text,
    tool_choice: request.tool_choice,
    tools: request.tools.map((tool) => ({
      type: "function",
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: request.top_p,
    truncation: "disabled",
    usage: usageOf(job),
    user: job.metadata.user ?? null,
    metadata: job.metadata,
    cost: job.cost,
    job_id: job.id,
  };
}
export type ResponseObject = ReturnType<typeof responseObject>;
