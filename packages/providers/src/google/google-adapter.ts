import { type GenerateContentConfig, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { type ProviderConnection, type ProviderEvent, ReasonqError } from "@reasonq/core";
import type { PreparedRequest, ProviderAdapter, StreamOptions } from "../adapter.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, withIdleTimeout } from "../shared/idle-timeout.ts";
import { providerFetch } from "../shared/provider-fetch.ts";
import { classifyGoogleError } from "./classify-google-error.ts";
import { prepareGoogleRequest } from "./convert-to-google-request.ts";
import type { GeminiRequestBody } from "./google-api-types.ts";
import { GoogleEventMapper, mapGoogleResponse } from "./google-event-mapper.ts";

export interface GoogleAdapterOptions {
  /**
   * Silence after which a stream counts as dropped (default `DEFAULT_IDLE_TIMEOUT_MS`);
   * the transport itself never cuts a silent stream (`providerFetch`).
   */
  idleTimeoutMs?: number;
  /** The SDK's per-request limit (default 60 minutes, far above a healthy reasoning stream). */
  requestTimeoutMs?: number;
}

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
/** @google/genai 3.x's default, pinned so `GOOGLE_GENAI_API_VERSION` in the environment cannot move it. */
export const GEMINI_API_VERSION = "v1";
const REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

function missingKey(): ReasonqError {
  return new ReasonqError("invalid_request", "GEMINI_API_KEY is not set, so reasonq cannot call Google Gemini", {
    field: "model",
  });
}

export function createGoogleAdapter(
  connection: ProviderConnection,
  options: GoogleAdapterOptions = {},
): ProviderAdapter {
  return {
    family: "google",
    prepare(spec, model) {
      if (connection.apiKey === undefined || connection.apiKey === "") throw missingKey();
      return prepareGoogleRequest(spec, model);
    },
    stream: (request, streamOptions) => streamGoogle(request, streamOptions, connection, options),
    mapResponse(body) {
      if (typeof body !== "object" || body === null) {
        throw new ReasonqError("invalid_request", "a Gemini response must be a generateContent JSON object", {
          field: "response",
        });
      }
      return mapGoogleResponse(body);
    },
    classifyError: (error) => classifyGoogleError(error),
  };
}

/**
 * Always streams (`streamGenerateContent?alt=sse`) through `@google/genai`: no SDK retries
 * (none unless `retryOptions` is set; the queue retries and must see every failure),
 * automatic continuation off (one provider call per attempt), the caller's signal plus the
 * idle guard abort the HTTP request.
 */
async function* streamGoogle(
  request: PreparedRequest,
  { signal }: StreamOptions,
  connection: ProviderConnection,
  options: GoogleAdapterOptions,
): AsyncGenerator<ProviderEvent> {
  if (signal.aborted) throw cancelled(signal.reason);
  if (connection.apiKey === undefined || connection.apiKey === "") throw missingKey();
  // Built by prepareGoogleRequest: the cast reads back our own shape.
  const body = request.body as unknown as GeminiRequestBody;
  const idle = new AbortController();
  const failures = captureFailures();
  const client = new GoogleGenAI({
    apiKey: connection.apiKey,
    vertexai: false,
    apiVersion: GEMINI_API_VERSION,
    httpOptions: {
      baseUrl: connection.baseUrl ?? GEMINI_DEFAULT_BASE_URL,
      timeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      fetch: failures.fetch,
    },
  });
  const config: GenerateContentConfig = {
    ...body.generationConfig,
    // Our level strings are the values of the SDK's ThinkingLevel enum.
    thinkingConfig: body.generationConfig.thinkingConfig as GenerateContentConfig["thinkingConfig"],
    abortSignal: AbortSignal.any([signal, idle.signal]),
    automaticContinuation: false,
  };
  if (body.systemInstruction !== undefined) config.systemInstruction = body.systemInstruction;
  if (body.tools !== undefined) config.tools = body.tools as GenerateContentConfig["tools"];
  if (body.toolConfig !== undefined) config.toolConfig = body.toolConfig as GenerateContentConfig["toolConfig"];
  if (config.thinkingConfig === undefined) delete config.thinkingConfig;

  // The idle guard also covers the wait for the response headers.
  async function* chunks(): AsyncGenerator<GenerateContentResponse> {
    yield* await client.models.generateContentStream({ model: request.model.model, contents: body.contents, config });
  }

  const mapper = new GoogleEventMapper();
  try {
    const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    for await (const chunk of withIdleTimeout(chunks(), idleMs, () => idle.abort())) {
      yield* mapper.push(chunk);
    }
  } catch (error) {
    if (signal.aborted) throw cancelled(error);
    if (error instanceof Error && error.name === "AbortError") {
      throw new ReasonqError("provider_timeout", "google: the request ran past its time limit", { cause: error });
    }
    const failed = failures.last();
    const status = (error as { status?: unknown } | null)?.status;
    throw classifyGoogleError(
      error,
      failed !== undefined && failed.status === status ? { headers: failed.headers } : {},
    );
  } finally {
    // Releases the connection when the consumer stops early; a no-op after a complete stream.
    idle.abort();
  }
  if (!mapper.finished) {
    throw new ReasonqError("provider_stream_dropped", "google: the stream ended without a finish reason");
  }
  yield* mapper.end();
}

function cancelled(cause: unknown): ReasonqError {
  return new ReasonqError("job_cancelled", "the provider request was aborted", { cause });
}

/** The SDK's `ApiError` drops response headers; a wrapped fetch keeps those of the last failure. */
function captureFailures() {
  let last: { status: number; headers: Headers } | undefined;
  return {
    fetch: async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
      const response = await providerFetch(input, init);
      if (!response.ok) last = { status: response.status, headers: response.headers };
      return response;
    },
    last: () => last,
  };
}
