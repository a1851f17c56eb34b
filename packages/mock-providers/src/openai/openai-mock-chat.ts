/**
 * `POST /v1/chat/completions` for reasoning models (providers.md §1): no reasoning text,
 * ever — only `completion_tokens_details.reasoning_tokens`. Streams are `data:` lines
 * ending with `data: [DONE]`; the usage chunk (`choices: []`) comes only with
 * `stream_options.include_usage`.
 */
import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { type Fault, stripFaultMarkers } from "../faults.ts";
import { sendJson } from "../http.ts";
import { startSse } from "../sse.ts";
import { requestedSchema, structuredAnswer } from "../structured-output.ts";
import { chatToolTurn, checkChatToolMessages } from "../tool-script.ts";
import {
  countTokens,
  deltas,
  lastUserText,
  type MockScript,
  promptUsage,
  toMockMessages,
  writeScript,
} from "./openai-mock-content.ts";
import { failure, OVERLOADED, sendFailure } from "./openai-mock-errors.ts";
import type { MockEffort, MockModel } from "./openai-mock-models.ts";
import type { Body } from "./openai-mock-validate.ts";

export interface ChatContext {
  id: string;
  model: MockModel;
  fault: Fault;
  cache: Set<string>;
  reasoningDelayMs: number;
  headers: Record<string, string>;
}

export async function answerChat(body: Body, response: ServerResponse, ctx: ChatContext): Promise<void> {
  const messages = toMockMessages(body.messages);
  const prompt = stripFaultMarkers(lastUserText(messages));
  const effort = (body.reasoning_effort as MockEffort | undefined) ?? ctx.model.defaultEffort;
  const maxTokens = typeof body.max_completion_tokens === "number" ? body.max_completion_tokens : undefined;
  const script = writeScript({ prompt, effort, summaries: false, maxTokens, fault: ctx.fault });
  const chatMessages = Array.isArray(body.messages) ? (body.messages as Body[]) : [];
  const orphan = checkChatToolMessages(chatMessages);
  if (orphan !== undefined) return sendFailure(response, failure(400, orphan, { param: "messages" }));
  const toolTurn = script.finish === "stop" ? chatToolTurn(body, prompt, ctx.id) : null;
  let call: { id: string; type: "function"; function: { name: string; arguments: string } } | undefined;
  if (toolTurn !== null && "answer" in toolTurn) {
    script.answer = toolTurn.answer;
    script.answerTokens = countTokens(script.answer);
  } else if (toolTurn !== null) {
    const { id, name, arguments: args } = toolTurn.call;
    call = { id, type: "function", function: { name, arguments: args } };
    script.answer = "";
    script.answerTokens = countTokens(args) + 1;
  } else if (script.finish === "stop") {
    const schema = requestedSchema(body.response_format, "json_schema");
    if (schema !== undefined) {
      script.answer = structuredAnswer(schema ?? undefined, prompt, script.answer);
      script.answerTokens = countTokens(script.answer);
    }
  }
  const finish = call === undefined ? script.finish : "tool_calls";
  const prompted = promptUsage(messages, ctx.cache);
  const usage = chatUsage(prompted, script);
  const created = Math.floor(Date.now() / 1000);

  if (body.stream !== true) {
    if (ctx.fault.cutMidStream === true) return void response.socket?.destroy();
    if (ctx.fault.overloadMidStream === true) return sendFailure(response, { status: 503, error: OVERLOADED });
    sendJson(
      response,
      200,
      {
        id: ctx.id,
        object: "chat.completion",
        created,
        model: ctx.model.snapshot,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: call === undefined ? script.answer : null,
              refusal: null,
              annotations: [],
              ...(call === undefined ? {} : { tool_calls: [call] }),
            },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage,
        service_tier: "default",
        system_fingerprint: null,
      },
      ctx.headers,
    );
    return;
  }

  const options = (body.stream_options ?? {}) as { include_usage?: unknown; include_obfuscation?: unknown };
  const withUsage = options.include_usage === true;
  const obfuscate = options.include_obfuscation !== false;
  const sse = startSse(response, {
    headers: ctx.headers,
    ...(ctx.fault.trickleMs === undefined ? {} : { delayMs: ctx.fault.trickleMs }),
  });
  let padding = 0;
  const chunk = (choices: unknown[], usageValue?: unknown) => ({
    id: ctx.id,
    object: "chat.completion.chunk",
    created,
    model: ctx.model.snapshot,
    service_tier: "default",
    system_fingerprint: null,
    choices,
    ...(withUsage ? { usage: usageValue ?? null } : {}),
    ...(obfuscate ? { obfuscation: "x".repeat(1 + (padding++ % 7)) } : {}),
  });
  const delta = (d: Record<string, unknown>, finish: string | null = null) =>
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);

  // Reasoning happens before anything visible: a silent gap, then the first delta.
  if (ctx.reasoningDelayMs > 0) await delay(ctx.reasoningDelayMs);
  await sse.event(delta({ role: "assistant", content: "", refusal: null }));
  const pieces = deltas(script.answer);
  const cutAt = Math.floor(pieces.length / 2);
  for (const [i, piece] of pieces.entries()) {
    if (response.destroyed) return;
    if (ctx.fault.cutMidStream === true && i === cutAt) return sse.cut();
    if (ctx.fault.overloadMidStream === true && i === cutAt) {
      await sse.event({ error: OVERLOADED });
      return sse.end();
    }
    await sse.event(delta({ content: piece }));
  }
  if (ctx.fault.cutMidStream === true) return sse.cut();
  if (ctx.fault.overloadMidStream === true) {
    await sse.event({ error: OVERLOADED });
    return sse.end();
  }
  if (call !== undefined) {
    await sse.event(
      delta({ tool_calls: [{ index: 0, ...call, function: { name: call.function.name, arguments: "" } }] }),
    );
    for (const piece of deltas(call.function.arguments, 1)) {
      await sse.event(delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  }
  await sse.event(delta({}, finish));
  if (withUsage) await sse.event(chunk([], usage));
  await sse.raw("data: [DONE]\n\n");
  sse.end();
}

function chatUsage(prompted: { tokens: number; cached: number }, script: MockScript) {
  const completion = script.reasoningTokens + script.answerTokens;
  return {
    prompt_tokens: prompted.tokens,
    completion_tokens: completion,
    total_tokens: prompted.tokens + completion,
    prompt_tokens_details: { cached_tokens: prompted.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: script.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
