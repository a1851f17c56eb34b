import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Fault, FaultPlan, stripFaultMarkers } from "../faults.ts";
import { type MockRequest, type MockServer, sendJson, startMockServer } from "../http.ts";
import { startSse } from "../sse.ts";
import { createGoogleBatchApi, googleBatchKey } from "./google-mock-batch.ts";
import {
  apiKeyInvalid,
  type GoogleErrorBody,
  googleError,
  missingKey,
  modelNotFound,
  resourceExhausted,
} from "./google-mock-errors.ts";
import { MOCK_GEMINI_MODELS } from "./google-mock-models.ts";
import { fullResponse, type ResponseMeta, streamChunks } from "./google-mock-responses.ts";
import { countPromptTokens, type MockScript, writeScript } from "./google-mock-script.ts";
import { type MockContent, type MockGeminiRequest, partsText, validateRequest } from "./google-mock-validate.ts";

export interface GoogleMockOptions {
  port?: number;
  /** When set, only this key is accepted; otherwise any non-empty key is. */
  apiKey?: string;
  /** Blank-line delimiter between SSE events; the live API sends `\r\n\r\n` (providers.md §4.4). */
  delimiter?: string;
  /**
   * Also answer 429 with a `retry-after` header. Gemini documents only `RetryInfo` in the
   * body (whether the header is ever sent is UNVERIFIED, §4.7), so this is off by default.
   */
  retryAfterHeader?: boolean;
}

const ROUTE = /^\/(v1|v1beta)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
/** Default wait in the 429 body when a marker gives none (the doc's example says 34.4s). */
const DEFAULT_RETRY_DELAY_S = 34.4;
/** Implicit caching starts at this prompt size on 2.5 Flash; cached prefixes come in blocks. */
const IMPLICIT_CACHE_MIN_TOKENS = 1024;
const CACHE_BLOCK_TOKENS = 256;

/**
 * A local Gemini API (`generateContent` and `streamGenerateContent?alt=sse` under `/v1/`
 * and `/v1beta/`, and batch mode: google-mock-batch.ts), checked by driving it with `@google/genai`. Honours the shared
 * `[mock:…]` fault markers in the last user message, in Gemini's own error formats.
 */
export async function startGoogleMock(options: GoogleMockOptions = {}): Promise<MockServer> {
  const plan = new FaultPlan();
  const seenPrompts = new Set<string>();
  let served = 0;
  const batches = createGoogleBatchApi();

  const server = await startMockServer(async (request, response) => {
    if (batches.isBatchPath(request.path)) {
      const keyError = checkKey(request, options.apiKey);
      if (keyError !== null) return sendError(response, keyError);
      return batches.route(request, response, googleBatchKey(request));
    }
    const route = ROUTE.exec(request.path);
    if (request.method !== "POST" || route === null) {
      sendJson(response, 404, googleError(404, `Method not found: ${request.method} ${request.path}`));
      return;
    }
    const [, version = "v1", modelName = "", method] = route;

    const keyError = checkKey(request, options.apiKey);
    if (keyError !== null) return sendError(response, keyError);

    const model = MOCK_GEMINI_MODELS[modelName];
    if (model === undefined) return sendError(response, modelNotFound(modelName, version));

    const validated = validateRequest(request.body, model);
    if (!validated.ok) return sendError(response, validated.error);

    const rawPrompt = lastUserText(validated.request.contents);
    const fault = plan.for(rawPrompt);
    if (fault.status !== undefined && fault.status >= 400) {
      return sendFault(response, fault, modelName, options.retryAfterHeader === true);
    }

    const cacheKey = `${modelName}\n${JSON.stringify([validated.request.systemText, validated.request.contents])}`;
    const cached = seenPrompts.has(cacheKey);
    seenPrompts.add(cacheKey);
    const script = writeScript(
      validated.request,
      stripFaultMarkers(rawPrompt),
      modelName,
      fault,
      cached ? implicitCacheTokens(validated.request) : 0,
    );
    served += 1;
    const meta: ResponseMeta = {
      modelVersion: modelName,
      responseId: createHash("sha256").update(`${served}\n${rawPrompt}`).digest("base64url").slice(0, 22),
      signaturePlacement: model.thinking.kind === "level" ? "trailing" : "answer",
    };

    if (method === "generateContent") {
      if (fault.cutMidStream === true) return void response.socket?.destroy();
      if (fault.overloadMidStream === true) return sendError(response, googleError(503));
      sendJson(response, 200, fullResponse(script, meta));
      return;
    }
    if (request.query.get("alt") !== "sse") {
      // Without alt=sse the stream endpoint answers one JSON array of the chunks.
      sendJson(response, 200, streamChunks(script, meta));
      return;
    }
    await streamSse(response, script, meta, fault, options.delimiter ?? "\r\n\r\n");
  }, options.port);
  batches.bind(server.url);
  return server;
}

function checkKey(request: MockRequest, expected: string | undefined): GoogleErrorBody | null {
  const key = googleBatchKey(request);
  if (key === "") return missingKey();
  if (expected !== undefined && key !== expected) return apiKeyInvalid();
  return null;
}

function lastUserText(contents: readonly MockContent[]): string {
  const last = contents.findLast((c) => c.role === "user");
  return last === undefined ? "" : partsText(last.parts);
}

function implicitCacheTokens(request: MockGeminiRequest): number {
  const prompt = countPromptTokens(request);
  if (prompt < IMPLICIT_CACHE_MIN_TOKENS) return 0;
  return prompt - (prompt % CACHE_BLOCK_TOKENS);
}

function sendError(response: ServerResponse, body: GoogleErrorBody, headers: Record<string, string> = {}): void {
  sendJson(response, body.error.code, body, { "content-type": "application/json; charset=UTF-8", ...headers });
}

function sendFault(response: ServerResponse, fault: Fault, model: string, retryAfterHeader: boolean): void {
  const status = fault.status ?? 500;
  if (status !== 429) {
    sendError(response, googleError(status));
    return;
  }
  const delay = fault.retryAfterSeconds ?? DEFAULT_RETRY_DELAY_S;
  const headers: Record<string, string> = retryAfterHeader ? { "retry-after": String(Math.ceil(delay)) } : {};
  sendError(response, resourceExhausted(model, delay), headers);
}

async function streamSse(
  response: ServerResponse,
  script: MockScript,
  meta: ResponseMeta,
  fault: Fault,
  delimiter: string,
): Promise<void> {
  let gone = false;
  response.once("close", () => {
    gone = true;
  });
  const sse = startSse(response, {
    delimiter,
    ...(fault.trickleMs === undefined ? {} : { delayMs: fault.trickleMs }),
  });
  const chunks = streamChunks(script, meta);
  // Faults strike after the first chunk, so the client has already seen a 200 and some content.
  const breakAt = fault.overloadMidStream === true || fault.cutMidStream === true ? 1 : chunks.length;
  for (const chunk of chunks.slice(0, breakAt)) {
    if (gone) return;
    await sse.event(chunk);
  }
  if (gone) return;
  if (fault.cutMidStream === true) {
    // Let what was written reach the client first: a cut stream has delivered some content.
    while ((response.socket?.writableLength ?? 0) > 0 && !gone) await new Promise((resolve) => setImmediate(resolve));
    return sse.cut();
  }
  if (fault.overloadMidStream === true) await sse.event(googleError(503));
  sse.end();
}
