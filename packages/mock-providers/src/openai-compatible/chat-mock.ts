import type { ServerResponse } from "node:http";
import { type Fault, FaultPlan, stripFaultMarkers } from "../faults.ts";
import { type MockRequest, type MockServer, sendJson, startMockServer } from "../http.ts";
import { type SseWriter, startSse } from "../sse.ts";
import { chatToolTurn, checkChatToolMessages } from "../tool-script.ts";
import type { ChatBody, ChatMockDialect, ChatUsageCounts, MockError } from "./chat-dialect.ts";
import { checkImageParts } from "./chat-images.ts";
import { type ChatScript, countTokens, textTokens, writeChatScript } from "./chat-script.ts";

export interface ChatMockOptions {
  /** When set, requests must carry exactly this bearer key; otherwise any non-empty key passes. */
  apiKey?: string;
  /** SSE keep-alive comments written before the first chunk (default 1, when the dialect has one). */
  keepAlives?: number;
  port?: number;
}

/** Chat-template overhead per message, so prompt tokens are more than the words. */
const MESSAGE_OVERHEAD = 4;
const CREATED = 1_786_782_776;

interface ToolCallScript {
  id: string;
  name: string;
  arguments: string;
}

interface Turn {
  body: ChatBody;
  id: string;
  script: ChatScript;
  show: boolean;
  counts: ChatUsageCounts;
  /** The tool the model calls instead of answering. */
  call?: ToolCallScript;
}

/** Starts a mock that speaks Chat Completions in the given vendor dialect. */
export function startChatMock(dialect: ChatMockDialect, options: ChatMockOptions = {}): Promise<MockServer> {
  const faults = new FaultPlan();
  const cachedPrefixes = new Set<string>();
  let served = 0;

  return startMockServer(async (request, response) => {
    const error = checkRequest(dialect, options, request);
    if (error !== undefined) return sendError(dialect, response, error);
    const body = request.body as ChatBody;
    const messages = body.messages as ChatBody[];
    const prompt = messageText(messages.findLast((m) => m.role === "user") ?? {});
    const fault = faults.for(prompt);
    if (fault.status !== undefined) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
      return sendError(dialect, response, dialect.faultError(fault.status), headers);
    }

    served += 1;
    const plan = dialect.plan(body);
    const maxTokens = numberField(body, "max_completion_tokens") ?? numberField(body, "max_tokens");
    const id = dialect.id(served);
    const toolTurn = chatToolTurn(body, stripFaultMarkers(prompt), id);
    const question = toolTurn !== null && "answer" in toolTurn ? toolTurn.answer : stripFaultMarkers(prompt);
    const script = writeChatScript(question, plan.tokens, maxTokens, fault.finish);
    let call: ToolCallScript | undefined;
    if (toolTurn !== null && "answer" in toolTurn && script.finish === "stop")
      script.answer = textTokens(toolTurn.answer);
    else if (toolTurn !== null && "call" in toolTurn && script.finish === "stop") {
      call = toolTurn.call;
      script.answer = [];
      script.finish = "tool_calls";
    }
    const counts = {
      ...promptCounts(messages, String(body.model), cachedPrefixes),
      ...outputCounts(script),
      ...(call === undefined ? {} : { answer: countTokens(call.arguments) + 1 }),
    };
    const turn: Turn = { body, id, script, show: plan.show, counts, ...(call === undefined ? {} : { call }) };
    if (body.stream === true) return streamTurn(dialect, options, response, turn, fault);
    return answerTurn(dialect, response, turn, fault);
  }, options.port);
}

function checkRequest(dialect: ChatMockDialect, options: ChatMockOptions, request: MockRequest): MockError | undefined {
  if (!dialect.paths.includes(request.path)) {
    return { status: 404, message: `no route ${request.method} ${request.path}`, type: "not_found_error" };
  }
  if (request.method !== "POST") return { status: 405, message: "method not allowed" };
  const auth = request.headers.authorization;
  const key = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7).trim() : undefined;
  const needsKey = dialect.requireAuth || options.apiKey !== undefined;
  if (needsKey && (key === undefined || key === "" || (options.apiKey !== undefined && key !== options.apiKey))) {
    return dialect.faultError(401);
  }
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { status: 400, message: "request body must be a JSON object" };
  }
  const chat = body as ChatBody;
  if (typeof chat.model !== "string" || chat.model === "") return { status: 400, message: "model is required" };
  if (!Array.isArray(chat.messages) || chat.messages.length === 0) {
    return { status: 400, message: "messages must be a non-empty array", param: "messages" };
  }
  if (dialect.models !== undefined && !dialect.models.includes(chat.model)) return dialect.unknownModel(chat.model);
  const orphan = checkChatToolMessages(chat.messages as ChatBody[]);
  if (orphan !== undefined) return { status: 400, message: orphan, param: "messages" };
  return checkImageParts(chat, dialect.images) ?? dialect.validate(chat);
}

function sendError(
  dialect: ChatMockDialect,
  response: ServerResponse,
  error: MockError,
  headers: Record<string, string> = {},
): void {
  sendJson(response, error.status, dialect.errorBody(error), headers);
}

function numberField(body: ChatBody, key: string): number | undefined {
  const value = body[key];
  return typeof value === "number" ? value : undefined;
}

export function messageText(message: ChatBody): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) =>
      typeof part === "object" && part !== null && typeof (part as ChatBody).text === "string"
        ? ((part as ChatBody).text as string)
        : "",
    )
    .join("");
}

/**
 * Prompt tokens, and the part served from the prefix cache: every message but the last
 * is a cacheable prefix; a prefix served before (same model) is a hit, a new one is written.
 */
function promptCounts(messages: ChatBody[], model: string, cache: Set<string>) {
  const tokens = (m: ChatBody) => countTokens(messageText(m)) + MESSAGE_OVERHEAD;
  const prompt = messages.reduce((n, m) => n + tokens(m), 0);
  const prefix = messages.slice(0, -1);
  if (prefix.length === 0) return { prompt, cached: 0, cacheWrite: 0 };
  const key = `${model}\n${JSON.stringify(prefix)}`;
  const prefixTokens = prefix.reduce((n, m) => n + tokens(m), 0);
  if (cache.has(key)) return { prompt, cached: prefixTokens, cacheWrite: 0 };
  cache.add(key);
  return { prompt, cached: 0, cacheWrite: prefixTokens };
}

function outputCounts(script: ChatScript) {
  return { reasoning: script.reasoning.length, answer: script.answer.length };
}

function envelope(dialect: ChatMockDialect, turn: Turn, object: string) {
  return {
    id: turn.id,
    object,
    created: CREATED,
    model: turn.body.model,
    ...dialect.responseExtras?.(turn.body),
  };
}

function answerTurn(dialect: ChatMockDialect, response: ServerResponse, turn: Turn, fault: Fault): void {
  if (fault.cutMidStream === true) {
    response.socket?.destroy();
    return;
  }
  if (fault.overloadMidStream === true) {
    if (dialect.overloadIn200Body === true) sendJson(response, 200, dialect.midStreamError(turn.id, turn.body));
    else sendError(dialect, response, dialect.faultError(503));
    return;
  }
  const reasoning = turn.script.reasoning.join("");
  const message = {
    role: "assistant",
    content: turn.call === undefined ? turn.script.answer.join("") : null,
    ...(turn.show && reasoning !== "" ? dialect.reasoningMessage(reasoning, turn.body) : {}),
    ...(turn.call === undefined
      ? {}
      : {
          tool_calls: [
            { id: turn.call.id, type: "function", function: { name: turn.call.name, arguments: turn.call.arguments } },
          ],
        }),
  };
  const payload = {
    ...envelope(dialect, turn, "chat.completion"),
    choices: [{ index: 0, message, logprobs: null, finish_reason: turn.script.finish }],
    usage: dialect.usage(turn.counts, turn.body),
  };
  response.writeHead(200, { "content-type": "application/json" });
  response.end(`${dialect.jsonPreamble ?? ""}${JSON.stringify(payload)}`);
}

async function streamTurn(
  dialect: ChatMockDialect,
  options: ChatMockOptions,
  response: ServerResponse,
  turn: Turn,
  fault: Fault,
): Promise<void> {
  const sse = startSse(response, fault.trickleMs === undefined ? {} : { delayMs: fault.trickleMs });
  const alive = () => !response.destroyed && !response.writableEnded;
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
    extra: Record<string, unknown> = {},
  ) => ({
    ...envelope(dialect, turn, "chat.completion.chunk"),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...dialect.chunkExtras,
    ...extra,
  });
  const send = async (data: unknown) => {
    if (alive()) await sse.event(data);
  };

  if (dialect.keepAlive !== undefined) {
    for (let i = 0; i < (options.keepAlives ?? 1); i++) if (alive()) await sse.raw(`${dialect.keepAlive}\n\n`);
  }
  await send(chunk(dialect.firstDelta));
  const { reasoning, answer, finish } = turn.script;
  const breakAt =
    fault.cutMidStream === true || fault.overloadMidStream === true ? Math.floor(reasoning.length / 2) : -1;
  const text = reasoning.join("");
  for (let i = 0; i < reasoning.length; i++) {
    if (i === breakAt) return breakStream(dialect, sse, turn, fault);
    if (!turn.show) continue;
    const position = { index: i, last: i === reasoning.length - 1, text };
    await send(chunk(dialect.reasoningDelta(reasoning[i] as string, position, turn.body)));
  }
  if (breakAt >= 0) return breakStream(dialect, sse, turn, fault);
  for (const token of answer) await send(chunk({ content: token, ...dialect.answerDeltaExtras }));
  if (turn.call !== undefined) {
    const { id, name, arguments: args } = turn.call;
    await send(chunk({ tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: "" } }] }));
    for (let i = 0; i < args.length; i += 8) {
      await send(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 8) } }] }));
    }
  }
  await finishStream(dialect, sse, turn, finish, chunk, send);
}

async function breakStream(dialect: ChatMockDialect, sse: SseWriter, turn: Turn, fault: Fault): Promise<void> {
  if (fault.cutMidStream === true) return sse.cut();
  await sse.event(dialect.midStreamError(turn.id, turn.body));
  sse.end();
}

async function finishStream(
  dialect: ChatMockDialect,
  sse: SseWriter,
  turn: Turn,
  finish: string,
  chunk: (delta: Record<string, unknown>, finish?: string | null, extra?: Record<string, unknown>) => unknown,
  send: (data: unknown) => Promise<void>,
): Promise<void> {
  const usage = dialect.usage(turn.counts, turn.body);
  const last = { content: "", ...dialect.answerDeltaExtras };
  const streamOptions = turn.body.stream_options;
  const requested =
    typeof streamOptions === "object" && streamOptions !== null && (streamOptions as ChatBody).include_usage === true;
  if (dialect.usagePlacement === "finish-chunk") {
    await send(chunk(last, finish, { usage }));
  } else {
    await send(chunk(last, finish));
    if (dialect.usagePlacement === "usage-chunk" || requested) {
      await send({ ...envelope(dialect, turn, "chat.completion.chunk"), choices: [], usage });
    }
  }
  await send("[DONE]");
  sse.end();
}
