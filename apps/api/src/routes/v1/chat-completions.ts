import {
  isTerminal,
  type Job,
  MessageSchema,
  MetadataSchema,
  NativeThinkingSchema,
  type ParsedJobRequest,
  ReasoningControlSchema,
  ReasoningEffortParamSchema,
  ReasonqError,
  ResponseFormatSchema,
  type ToolCall,
  ToolChoiceSchema,
  ToolSchema,
} from "@reasonq/core";
import { toJob } from "@reasonq/store";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { httpStatusOf } from "../../plugins/error-handler.ts";
import { toOpenAIError } from "../../plugins/openai-errors.ts";
import { onClientGone } from "../../services/abandoned-calls.ts";
import type { FollowDeps } from "../../services/follow-events.ts";
import { beginJobStream } from "../../services/held-stream.ts";
import { failedJobError, type SyncCallDeps, startCall, waitForEnd } from "../../services/sync-call.ts";
import type { SseStreams } from "../../sse.ts";
import { clientParamsOf, recordedFields, refusedFields, refuseUnhonoured } from "./chat-client-params.ts";

export interface ChatRoutesOptions extends SyncCallDeps, FollowDeps {
  sse: SseStreams;
}

/** The OpenAI Chat Completions body, plus the native reasoning forms of SPEC §3. */
const ChatRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(200),
    messages: z.array(MessageSchema).min(1).max(1000),
    max_completion_tokens: z.number().int().min(1).optional(),
    max_tokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(16)]).optional(),
    seed: z.number().int().optional(),
    tools: z.array(ToolSchema).max(128).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    response_format: ResponseFormatSchema.optional(),
    stream: z.boolean().optional(),
    stream_options: z
      .strictObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
      .nullable()
      .optional(),
    reasoning_effort: ReasoningEffortParamSchema.optional(),
    reasoning: ReasoningControlSchema.optional(),
    thinking: NativeThinkingSchema.optional(),
    return_reasoning: z.boolean().optional(),
    metadata: MetadataSchema.optional(),
    /** OpenAI's end-user id: accepted for compatibility, stored as metadata `user`. */
    user: z.string().max(256).optional(),
    ...recordedFields,
    ...refusedFields,
  })
  .meta({ id: "ChatCompletionRequest" });
type ChatRequest = z.infer<typeof ChatRequestSchema>;

function toJobRequest(body: ChatRequest): ParsedJobRequest {
  const request: ParsedJobRequest = {
    model: body.model,
    messages: body.messages,
  };
  if (body.tools !== undefined) request.tools = body.tools;
  if (body.tool_choice !== undefined) request.tool_choice = body.tool_choice;
  if (body.response_format !== undefined) request.response_format = body.response_format;
  const maxOutput = body.max_completion_tokens ?? body.max_tokens;
  if (body.max_completion_tokens !== undefined && body.max_tokens !== undefined) {
    throw new ReasonqError("invalid_request", "give max_completion_tokens or max_tokens, not both", {
      field: "max_tokens",
    });
  }
  if (maxOutput !== undefined) request.max_output_tokens = maxOutput;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.top_p = body.top_p;
  if (body.stop !== undefined) request.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.seed !== undefined) request.seed = body.seed;
  if (body.reasoning_effort !== undefined) request.reasoning_effort = body.reasoning_effort;
  if (body.reasoning !== undefined) request.reasoning = body.reasoning;
  if (body.thinking !== undefined) request.thinking = body.thinking;
  if (body.return_reasoning !== undefined) request.return_reasoning = body.return_reasoning;
  const metadata = { ...body.metadata, ...(body.user === undefined ? {} : { user: body.user }) };
  if (Object.keys(metadata).length > 0) request.metadata = metadata;
  return request;
}

const FINISH: Record<string, "stop" | "length" | "tool_calls" | "content_filter"> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
};

function usageOf(job: Job) {
  const u = job.usage;
  if (u === null) return undefined;
  return {
    prompt_tokens: u.input_tokens,
    completion_tokens: u.output_tokens,
    total_tokens: u.input_tokens + u.output_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_input_tokens },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens },
  };
}

/** Gateways expose reasoning this way; a model without reasoning gets no such fields. */
function reasoningFields(job: Job) {
  const output = job.output;
  if (output === null || output.reasoning_kind === "none") return {};
  return {
    reasoning_content: output.reasoning,
    ...(output.thinking_blocks.length > 0 ? { thinking_blocks: output.thinking_blocks } : {}),
  };
}

/** The assistant message as OpenAI shapes it: content null beside tool calls with no text. */
function assistantMessage(job: Job) {
  const answer = job.output?.answer ?? "";
  const calls = job.output?.tool_calls ?? [];
  return {
    role: "assistant",
    content: calls.length > 0 && answer === "" ? null : answer,
    refusal: null,
    ...reasoningFields(job),
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
  };
}

function completion(job: Job) {
  return {
    id: job.id,
    object: "chat.completion",
    created: Math.floor(Date.parse(job.created_at) / 1000),
    model: job.model,
    choices: [
      {
        index: 0,
        message: assistantMessage(job),
        finish_reason: FINISH[job.output?.finish_reason ?? "stop"] ?? "stop",
        logprobs: null,
      },
    ],
    usage: usageOf(job),
  };
}

/**
 * `POST /v1/chat/completions`: runs as an ordinary job (same queue, store and ledger;
 * the job id is in the `x-reasonq-job-id` header) and answers in the shape the official
 * OpenAI SDKs parse, with the reasoning as `reasoning_content` and `thinking_blocks`.
 * Errors take OpenAI's shape; a client retry never runs a second job (Idempotency-Key,
 * or the take-over of an abandoned call), and a failed job tells the SDK not to retry.
 */
export const chatCompletionRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (app, options) => {
  app.post(
    "/chat/completions",
    {
      config: { openaiErrors: true },
      schema: {
        summary: "OpenAI-compatible chat completion, run as a reasonq job",
        body: ChatRequestSchema,
        headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      refuseUnhonoured(body);
      const clientParams = clientParamsOf(body);
      // A synchronous call is a long poll: bounded before its job is created; a stream is not held.
      if (body.stream !== true) reply.raw.once("close", options.waiter.hold(request.apiKey.id));
      const { job, call, attached } = await startCall(
        options,
        request.apiKey,
        request.headers,
        toJobRequest(body),
        clientParams,
      );
      if (attached) request.log.info({ job_id: job.id }, "a retried call attached to its earlier job");
      options.abandoned.watch(reply.raw, call);
      const headers = { "x-reasonq-job-id": job.id };

      if (body.stream === true) {
        const begun = await beginJobStream(options, reply, job.id, headers);
        if (begun === undefined) return;
        const { stream, events } = begun;
        const base = {
          id: job.id,
          object: "chat.completion.chunk",
          created: Math.floor(Date.now() / 1000),
          model: job.model,
        };
        const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
          stream.send({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
        chunk({ role: "assistant", content: "" });
        // Tool calls go out as the job's events announce them; `done` sends any not seen live.
        const streamed = new Set<string>();
        const sendCalls = (calls: ToolCall[]) => {
          const fresh = calls.filter((call) => !streamed.has(call.id));
          if (fresh.length === 0) return;
          chunk({ tool_calls: fresh.map((call, i) => ({ index: streamed.size + i, ...call })) });
          for (const call of fresh) streamed.add(call.id);
        };
        try {
          for await (const item of events) {
            if (item === null) {
              stream.comment("keep-alive");
              continue;
            }
            const event = item.event;
            if (event.type === "reasoning.delta") chunk({ reasoning_content: event.text });
            else if (event.type === "answer.delta") chunk({ content: event.text });
            else if (event.type === "tool_call") sendCalls([event.call]);
            else if (event.type === "done") {
              const error = failedJobError(event.job);
              if (error !== undefined) {
                stream.send(toOpenAIError(httpStatusOf(error), error.type, error.message, error.field).body);
                break;
              }
              sendCalls(event.job.output?.tool_calls ?? []);
              const blocks = event.job.output?.thinking_blocks ?? [];
              chunk(
                blocks.length > 0 ? { thinking_blocks: blocks } : {},
                FINISH[event.job.output?.finish_reason ?? "stop"],
              );
              if (body.stream_options?.include_usage === true)
                stream.send({ ...base, choices: [], usage: usageOf(event.job) });
            }
          }
          stream.send("[DONE]");
        } catch (err) {
          request.log.error({ err, job_id: job.id }, "chat completion stream failed");
        } finally {
          stream.end();
        }
        return;
      }

      const closed = new AbortController();
      onClientGone(reply.raw, () => closed.abort());
      const row = await waitForEnd(options, job, closed.signal);
      if (!isTerminal(row.status)) {
        // The client went away; there is nobody to answer.
        reply.hijack();
        reply.raw.end();
        return;
      }
      const done = toJob(row);
      const error = failedJobError(done);
      reply.headers(headers);
      if (error !== undefined) {
        // The job already made its own attempts: an SDK retry would only run (and bill) it again.
        reply.header("x-should-retry", "false");
        throw error;
      }
      return reply.code(200).send(completion(done));
    },
  );
};
