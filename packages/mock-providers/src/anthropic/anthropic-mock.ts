import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { type Fault, FaultPlan, stripFaultMarkers } from "../faults.ts";
import { type MockRequest, type MockServer, sendJson, startMockServer } from "../http.ts";
import { startSse } from "../sse.ts";
import { type AnthropicBatchApi, createAnthropicBatchApi } from "./anthropic-mock-batch.ts";
import {
  checkPassedBack,
  inputTokens,
  type MockScript,
  type MockState,
  messageText,
  writeScript,
} from "./anthropic-mock-script.ts";
import {
  ANTHROPIC_VERSIONS,
  type AnthropicVersion,
  type MockApiError,
  validateMessagesRequest,
} from "./anthropic-mock-validate.ts";

export interface AnthropicMockOptions {
  /** The only key accepted; any non-empty key when omitted. */
  apiKey?: string;
  /** Overrides every model's context window, so "prompt is too long" needs no huge prompt. */
  contextWindow?: number;
  port?: number;
}

/** Every event is written with its `event:` name, as the recorded fixture of providers.md §3.4 shows. */
type SseEvent = [name: string, data: Record<string, unknown>];

const ERROR_TYPES: Readonly<Record<number, [type: string, message: string]>> = {
  400: ["invalid_request_error", "mock fault: the request was refused"],
  401: ["authentication_error", "invalid x-api-key"],
  402: ["billing_error", "Your credit balance is too low to access the Anthropic API."],
  403: ["permission_error", "Your API key does not have permission to use the specified resource."],
  404: ["not_found_error", "Not found"],
  413: ["request_too_large", "Request exceeds the maximum allowed number of bytes."],
  429: [
    "rate_limit_error",
    "This request would exceed your organization's rate limit of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
  ],
  500: ["api_error", "Internal server error"],
  503: ["overloaded_error", "Overloaded"],
  504: ["timeout_error", "Request timed out"],
  529: ["overloaded_error", "Overloaded"],
};

/**
 * A local Anthropic Messages API (`POST /v1/messages`), streaming and not, and its Message
 * Batches API (anthropic-mock-batch.ts), for the official
 * SDK pointed at `url`. Honours the shared `[mock:…]` fault markers in the last user message.
 */
export async function startAnthropicMock(options: AnthropicMockOptions = {}): Promise<MockServer> {
  const faults = new FaultPlan();
  const state: MockState = { cache: new Set(), issued: new Map(), sequence: 0 };
  let requestIds = 0;
  const batches = createAnthropicBatchApi();
  const server = await startMockServer(async (request, response) => {
    requestIds += 1;
    const requestId = `req_mock${String(requestIds).padStart(6, "0")}`;
    const fail = (error: MockApiError, headers: Record<string, string> = {}) =>
      sendJson(
        response,
        error.status,
        { type: "error", error: { type: error.type, message: error.message }, request_id: requestId },
        { "request-id": requestId, ...headers },
      );
    await handle(request, response, { options, faults, state, requestId, fail, batches });
  }, options.port);
  batches.bind(server.url);
  return server;
}

interface Context {
  options: AnthropicMockOptions;
  faults: FaultPlan;
  state: MockState;
  requestId: string;
  fail: (error: MockApiError, headers?: Record<string, string>) => void;
  batches: AnthropicBatchApi;
}

async function handle(request: MockRequest, response: ServerResponse, context: Context): Promise<void> {
  const { fail, options } = context;
  if (request.path.startsWith("/v1/messages/batches")) {
    const denied = checkAuth(request.headers, options.apiKey);
    if (denied !== null) return fail(denied);
    await context.batches.route(request, response, fail);
    return;
  }
  if (request.method !== "POST" || request.path !== "/v1/messages") {
    return fail({ status: 404, type: "not_found_error", message: "Not found" });
  }
  const auth = checkAuth(request.headers, options.apiKey);
  if (auth !== null) return fail(auth);
  const version = header(request.headers, "anthropic-version");
  if (version === undefined) {
    return fail({ status: 400, type: "invalid_request_error", message: "anthropic-version: header is required" });
  }
  if (!(ANTHROPIC_VERSIONS as readonly string[]).includes(version)) {
    return fail({
      status: 400,
      type: "invalid_request_error",
      message: `anthropic-version: "${version}" is not a valid version`,
    });
  }
  const betas = (header(request.headers, "anthropic-beta") ?? "").split(",").map((b) => b.trim());

  const parsed = validateMessagesRequest(request.body, version as AnthropicVersion, betas);
  if ("status" in parsed) return fail(parsed);
  const forged = checkPassedBack(parsed, context.state);
  if (forged !== null) return fail({ status: 400, type: "invalid_request_error", message: forged });
  const window = options.contextWindow ?? parsed.spec.contextWindow;
  const tokens = inputTokens(parsed);
  if (tokens > window) {
    return fail({
      status: 400,
      type: "invalid_request_error",
      message: `prompt is too long: ${tokens} tokens > ${window} maximum`,
    });
  }

  const lastUser = parsed.messages.findLast((m) => m.role === "user");
  const text = lastUser === undefined ? "" : messageText(lastUser.content);
  const fault = context.faults.for(text);
  if (fault.status !== undefined) return failWithFault(fault, context);

  const script = writeScript(parsed, stripFaultMarkers(text), fault, context.state);
  if (!parsed.stream) {
    sendJson(
      response,
      200,
      {
        id: script.id,
        type: "message",
        role: "assistant",
        model: parsed.model,
        content: script.content,
        stop_reason: script.stopReason,
        stop_sequence: script.stopSequence,
        stop_details: null,
        container: null,
        usage: script.usage,
      },
      { "request-id": context.requestId },
    );
    return;
  }
  await streamScript(response, parsed.model, script, fault, context.requestId);
}

function checkAuth(headers: IncomingHttpHeaders, expected: string | undefined): MockApiError | null {
  const bearer = header(headers, "authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  const key = header(headers, "x-api-key") ?? bearer;
  if (key === undefined || key === "") {
    return { status: 401, type: "authentication_error", message: "x-api-key header is required" };
  }
  if (expected !== undefined && key !== expected) {
    return { status: 401, type: "authentication_error", message: "invalid x-api-key" };
  }
  return null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A `[mock:status=…]` fault in Anthropic's format; 429 carries `retry-after` and the rate-limit headers. */
function failWithFault(fault: Fault, { fail }: Context): void {
  const status = fault.status as number;
  const [type, message] = ERROR_TYPES[status] ?? ["api_error", `mock fault: status ${status}`];
  const headers: Record<string, string> = {};
  if (status === 429) {
    const seconds = fault.retryAfterSeconds ?? 1;
    const reset = new Date(Date.now() + seconds * 1000).toISOString();
    Object.assign(headers, {
      "retry-after": String(seconds),
      "anthropic-ratelimit-requests-limit": "50",
      "anthropic-ratelimit-requests-remaining": "0",
      "anthropic-ratelimit-requests-reset": reset,
      "anthropic-ratelimit-tokens-limit": "80000",
      "anthropic-ratelimit-tokens-remaining": "40000",
      "anthropic-ratelimit-tokens-reset": reset,
    });
  }
  fail({ status, type, message }, headers);
}

async function streamScript(
  response: ServerResponse,
  model: string,
  script: MockScript,
  fault: Fault,
  requestId: string,
): Promise<void> {
  const events = streamEvents(model, script);
  // Overloads and cuts strike after the first delta, with the stream well under way.
  const breakAt = events.findIndex(([name]) => name === "content_block_delta") + 1;
  const sse = startSse(response, {
    ...(fault.trickleMs === undefined ? {} : { delayMs: fault.trickleMs }),
    headers: { "request-id": requestId },
  });
  for (const [i, [name, data]] of events.entries()) {
    if (response.destroyed) return;
    if (i === breakAt && fault.cutMidStream === true) return sse.cut();
    if (i === breakAt && fault.overloadMidStream === true) {
      await sse.event(
        { type: "error", error: { type: "overloaded_error", message: "Overloaded" }, request_id: requestId },
        "error",
      );
      return sse.end();
    }
    await sse.event(data, name);
  }
  sse.end();
}

/** The event sequence of providers.md §3.4: usage cumulative in message_delta, placeholder output first. */
function streamEvents(model: string, script: MockScript): SseEvent[] {
  const usage = script.usage;
  const events: SseEvent[] = [
    [
      "message_start",
      {
        type: "message_start",
        message: {
          id: script.id,
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1, output_tokens_details: null },
        },
      },
    ],
  ];
  script.content.forEach((block, index) => {
    const delta = (d: Record<string, unknown>): SseEvent => [
      "content_block_delta",
      { type: "content_block_delta", index, delta: d },
    ];
    if (block.type === "thinking") {
      events.push(start(index, { type: "thinking", thinking: "", signature: "" }));
      if (index === 0) events.push(["ping", { type: "ping" }]);
      if (block.thinking !== "") {
        for (const piece of chunks(block.thinking)) events.push(delta({ type: "thinking_delta", thinking: piece }));
        events.push(delta({ type: "thinking_delta", thinking: "" }));
      }
      events.push(delta({ type: "signature_delta", signature: block.signature }));
    } else if (block.type === "redacted_thinking") {
      events.push(start(index, block));
    } else if (block.type === "tool_use") {
      events.push(start(index, { ...block, input: {} }));
      for (const piece of chunks(JSON.stringify(block.input), 12)) {
        events.push(delta({ type: "input_json_delta", partial_json: piece }));
      }
    } else {
      events.push(start(index, { type: "text", text: "" }));
      if (index === 0) events.push(["ping", { type: "ping" }]);
      for (const piece of chunks(block.text)) events.push(delta({ type: "text_delta", text: piece }));
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
  });
  events.push([
    "message_delta",
    {
      type: "message_delta",
      delta: { stop_reason: script.stopReason, stop_sequence: script.stopSequence },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
        output_tokens_details: usage.output_tokens_details,
        server_tool_use: null,
      },
    },
  ]);
  events.push(["message_stop", { type: "message_stop" }]);
  return events;
}

function start(index: number, block: Record<string, unknown>): SseEvent {
  return ["content_block_start", { type: "content_block_start", index, content_block: block }];
}

/** A few words per delta, spaces kept, as the API flushes them; JSON input goes in fixed slices. */
function chunks(text: string, slice?: number): string[] {
  if (slice !== undefined) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += slice) out.push(text.slice(i, i + slice));
    return out;
  }
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 3) out.push(words.slice(i, i + 3).join(""));
  return out;
}
