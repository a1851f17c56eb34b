/**
 * `POST /v1/responses` (providers.md §2): a reasoning item (summary when asked, and the
 * `encrypted_content` blob, populated by default) followed by the message item. Streams
 * carry `event:` lines and a `sequence_number` from 0, end with `response.completed` or
 * `response.incomplete`, and have no `[DONE]`. Background mode is not implemented.
 */
import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { type Fault, stripFaultMarkers } from "../faults.ts";
import { sendJson } from "../http.ts";
import { startSse } from "../sse.ts";
import { requestedSchema, structuredAnswer } from "../structured-output.ts";
import {
  countTokens,
  deltas,
  encryptedContent,
  lastUserText,
  type MockScript,
  promptUsage,
  toMockMessages,
  writeScript,
} from "./openai-mock-content.ts";
import { OVERLOADED, sendFailure } from "./openai-mock-errors.ts";
import { checkInputItems, responsesToolTurn } from "./openai-mock-items.ts";
import type { MockEffort, MockModel } from "./openai-mock-models.ts";
import type { Body } from "./openai-mock-validate.ts";

export interface ResponsesContext {
  /** Reasoning item id → the encrypted_content issued with it (checked when sent back). */
  issued: Map<string, string>;
  id: string;
  model: MockModel;
  fault: Fault;
  cache: Set<string>;
  reasoningDelayMs: number;
  headers: Record<string, string>;
}

type Item = Record<string, unknown>;

export async function answerResponses(body: Body, response: ServerResponse, ctx: ResponsesContext): Promise<void> {
  const messages = toMockMessages(body.input);
  const prompt = stripFaultMarkers(lastUserText(messages));
  const reasoning = (body.reasoning ?? {}) as { effort?: MockEffort; summary?: string | null };
  const effort = reasoning.effort ?? ctx.model.defaultEffort;
  const summaries = ctx.model.summaries && typeof reasoning.summary === "string";
  const maxTokens = typeof body.max_output_tokens === "number" ? body.max_output_tokens : undefined;
  const input = Array.isArray(body.input) ? body.input : [];
  const itemProblem = checkInputItems(input, ctx.issued);
  if (itemProblem !== undefined) return sendFailure(response, itemProblem);
  const script = writeScript({ prompt, effort, summaries, maxTokens, fault: ctx.fault });
  const toolTurn = script.finish === "stop" ? responsesToolTurn(body, prompt) : null;
  if (toolTurn !== null && "answer" in toolTurn) {
    script.answer = toolTurn.answer;
    script.answerTokens = countTokens(toolTurn.answer);
  } else if (toolTurn !== null) {
    script.answer = "";
    script.answerTokens = countTokens(toolTurn.call.arguments) + 1;
  } else if (script.finish === "stop") {
    const schema = requestedSchema((body.text as Body | undefined)?.format, "schema");
    if (schema !== undefined) {
      script.answer = structuredAnswer(schema ?? undefined, prompt, script.answer);
      script.answerTokens = countTokens(script.answer);
    }
  }
  const include = Array.isArray(body.include) ? body.include : [];
  const prompted = promptUsage(messages, ctx.cache);
  const createdAt = Math.floor(Date.now() / 1000);
  const suffix = ctx.id.slice("resp_".length);

  const reasons = effort !== "none";
  const reasoningItem: Item = {
    id: `rs_${suffix}`,
    type: "reasoning",
    summary: script.summary.map((text) => ({ type: "summary_text", text })),
    // Only when asked (the issued blob is remembered, so a changed one is caught).
    ...(include.includes("reasoning.encrypted_content") ? { encrypted_content: encryptedContent(prompt, effort) } : {}),
    status: "completed",
  };
  if (typeof reasoningItem.encrypted_content === "string") {
    ctx.issued.set(String(reasoningItem.id), reasoningItem.encrypted_content);
  }
  const callItem: Item | undefined =
    toolTurn !== null && "call" in toolTurn
      ? {
          id: `fc_${suffix}`,
          type: "function_call",
          status: "completed",
          arguments: toolTurn.call.arguments,
          call_id: `call_${suffix.slice(0, 24)}`,
          name: toolTurn.call.name,
        }
      : undefined;
  const hasMessage = script.answer !== "";
  const incomplete = script.finish !== "stop";
  const messageItem: Item = {
    id: `msg_${suffix}`,
    type: "message",
    role: "assistant",
    status: incomplete ? "incomplete" : "completed",
    content: [{ type: "output_text", text: script.answer, annotations: [], logprobs: [] }],
  };
  const output = [
    ...(reasons ? [reasoningItem] : []),
    ...(hasMessage ? [messageItem] : []),
    ...(callItem === undefined ? [] : [callItem]),
  ];
  const skeleton = (status: string, items: Item[], usage: unknown) => ({
    id: ctx.id,
    object: "response",
    created_at: createdAt,
    completed_at: status === "in_progress" ? null : createdAt,
    status,
    background: false,
    error: null,
    incomplete_details:
      status === "incomplete"
        ? { reason: script.finish === "content_filter" ? "content_filter" : "max_output_tokens" }
        : null,
    instructions: typeof body.instructions === "string" ? body.instructions : null,
    max_output_tokens: maxTokens ?? null,
    max_tool_calls: null,
    model: ctx.model.snapshot,
    output: items,
    parallel_tool_calls: true,
    previous_response_id: null,
    // Newer fields (context, mode) are echoed as sent.
    reasoning: { ...(body.reasoning as object | undefined), effort, summary: reasoning.summary ?? null },
    service_tier: "default",
    store: body.store !== false,
    temperature: typeof body.temperature === "number" ? body.temperature : 1,
    text: { format: (body.text as Body | undefined)?.format ?? { type: "text" }, verbosity: "medium" },
    tool_choice: body.tool_choice ?? "auto",
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === "number" ? body.top_p : 1,
    truncation: "disabled",
    usage,
    user: null,
    metadata: body.metadata ?? {},
  });
  const finalStatus = incomplete ? "incomplete" : "completed";
  const usage = responsesUsage(prompted, script);

  if (body.stream !== true) {
    if (ctx.fault.cutMidStream === true) return void response.socket?.destroy();
    if (ctx.fault.overloadMidStream === true) return sendFailure(response, { status: 503, error: OVERLOADED });
    return sendJson(response, 200, skeleton(finalStatus, output, usage), ctx.headers);
  }

  const sse = startSse(response, {
    headers: ctx.headers,
    ...(ctx.fault.trickleMs === undefined ? {} : { delayMs: ctx.fault.trickleMs }),
  });
  const obfuscate =
    (body.stream_options as { include_obfuscation?: unknown } | undefined)?.include_obfuscation !== false;
  let sequence = 0;
  const emit = (type: string, payload: Record<string, unknown>) =>
    sse.event({ type, ...payload, sequence_number: sequence++ }, type);
  const pad = () => (obfuscate ? { obfuscation: "y".repeat(1 + (sequence % 5)) } : {});
  const failHere = async (): Promise<boolean> => {
    if (ctx.fault.cutMidStream === true) {
      sse.cut();
      return true;
    }
    if (ctx.fault.overloadMidStream === true) {
      // Recorded shape of an overload inside a 200 Responses stream (see fixtures note).
      await emit("error", { error: OVERLOADED });
      sse.end();
      return true;
    }
    return false;
  };

  await emit("response.created", { response: skeleton("in_progress", [], null) });
  await emit("response.in_progress", { response: skeleton("in_progress", [], null) });
  let index = 0;
  if (reasons) {
    const itemId = reasoningItem.id;
    await emit("response.output_item.added", {
      output_index: index,
      item: { id: itemId, type: "reasoning", summary: [] },
    });
    if (ctx.reasoningDelayMs > 0) await delay(ctx.reasoningDelayMs);
    for (const [s, text] of script.summary.entries()) {
      const at = { item_id: itemId, output_index: index, summary_index: s };
      await emit("response.reasoning_summary_part.added", { ...at, part: { type: "summary_text", text: "" } });
      for (const piece of deltas(text)) {
        if (response.destroyed) return;
        await emit("response.reasoning_summary_text.delta", { ...at, delta: piece, ...pad() });
      }
      await emit("response.reasoning_summary_text.done", { ...at, text });
      await emit("response.reasoning_summary_part.done", { ...at, part: { type: "summary_text", text } });
    }
    await emit("response.output_item.done", { output_index: index, item: reasoningItem });
    index++;
  }
  if (!hasMessage && (await failHere())) return;
  if (hasMessage) {
    const itemId = messageItem.id;
    await emit("response.output_item.added", {
      output_index: index,
      item: { id: itemId, type: "message", role: "assistant", status: "in_progress", content: [] },
    });
    const at = { item_id: itemId, output_index: index, content_index: 0 };
    await emit("response.content_part.added", {
      ...at,
      part: { type: "output_text", text: "", annotations: [], logprobs: [] },
    });
    const pieces = deltas(script.answer);
    const cutAt = Math.floor(pieces.length / 2);
    for (const [i, piece] of pieces.entries()) {
      if (response.destroyed) return;
      if (i === cutAt && (await failHere())) return;
      await emit("response.output_text.delta", { ...at, delta: piece, logprobs: [], ...pad() });
    }
    await emit("response.output_text.done", { ...at, text: script.answer, logprobs: [] });
    await emit("response.content_part.done", {
      ...at,
      part: { type: "output_text", text: script.answer, annotations: [], logprobs: [] },
    });
    await emit("response.output_item.done", { output_index: index, item: messageItem });
    index++;
  }
  if (callItem !== undefined) {
    const args = String(callItem.arguments);
    await emit("response.output_item.added", {
      output_index: index,
      item: { ...callItem, arguments: "", status: "in_progress" },
    });
    const at = { item_id: callItem.id, output_index: index };
    for (const piece of deltas(args, 1)) await emit("response.function_call_arguments.delta", { ...at, delta: piece });
    await emit("response.function_call_arguments.done", { ...at, arguments: args });
    await emit("response.output_item.done", { output_index: index, item: callItem });
  }
  await emit(`response.${finalStatus}`, { response: skeleton(finalStatus, output, usage) });
  sse.end();
}

function responsesUsage(prompted: { tokens: number; cached: number }, script: MockScript) {
  const output = script.reasoningTokens + script.answerTokens;
  return {
    input_tokens: prompted.tokens,
    input_tokens_details: { cached_tokens: prompted.cached, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: script.reasoningTokens },
    total_tokens: prompted.tokens + output,
  };
}
