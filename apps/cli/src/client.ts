import type {
  Batch,
  BatchRequest,
  Dataset,
  Job,
  JobEvent,
  JobRequest,
  LogImportLine,
  UsageReport,
} from "@reasonq/core";
import { createParser } from "eventsource-parser";

export interface ClientOptions {
  url: string;
  apiKey: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

/** A small typed client over the HTTP API: its bodies are the types of core's HTTP schemas, never declared here. */
export class ReasonqClient {
  readonly #url: string;
  readonly #apiKey: string;

  constructor(options: ClientOptions) {
    this.#url = options.url.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
  }

  submit(request: JobRequest, idempotencyKey?: string): Promise<Job> {
    return this.#call(
      "POST",
      "/v1/jobs",
      request,
      idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey },
    );
  }

  get(id: string, waitSeconds?: number): Promise<Job> {
    const query = waitSeconds === undefined ? "" : `?wait=${waitSeconds}`;
    return this.#call("GET", `/v1/jobs/${encodeURIComponent(id)}${query}`);
  }

  /** Streams a dataset file to the server, which parses and stores it as it arrives. */
  uploadDataset(body: ReadableStream<Uint8Array>, contentType: string, name: string): Promise<Dataset> {
    return this.#call(
      "POST",
      `/v1/datasets?name=${encodeURIComponent(name)}`,
      undefined,
      { "content-type": contentType },
      body,
    );
  }

  createBatch(request: BatchRequest): Promise<Batch> {
    return this.#call("POST", "/v1/batches", request);
  }

  getBatch(id: string): Promise<Batch> {
    return this.#call("GET", `/v1/batches/${encodeURIComponent(id)}`);
  }

  async batchReport(id: string): Promise<string> {
    const response = await fetch(`${this.#url}/v1/batches/${encodeURIComponent(id)}/report`, {
      headers: { authorization: `Bearer ${this.#apiKey}` },
    });
    if (!response.ok) throw new ApiError(response.status, "http_error", `report: HTTP ${response.status}`);
    return response.text();
  }

  usage(query: URLSearchParams): Promise<UsageReport> {
    return this.#call("GET", `/v1/usage?${query.toString()}`);
  }

  cancel(id: string): Promise<Job> {
    return this.#call("POST", `/v1/jobs/${encodeURIComponent(id)}/cancel`, {});
  }

  /**
   * The job's live events from just after `after` (an event id, "0" for all), until
   * `done` or until the connection drops (then it simply ends: the caller resumes).
   */
  async *events(id: string, after: string, signal?: AbortSignal): AsyncGenerator<{ id: string; event: JobEvent }> {
    const response = await fetch(`${this.#url}/v1/jobs/${encodeURIComponent(id)}/events`, {
      headers: { authorization: `Bearer ${this.#apiKey}`, "last-event-id": after, accept: "text/event-stream" },
      ...(signal === undefined ? {} : { signal }),
    });
    if (!response.ok || response.body === null) {
      const body = (await response.json().catch(() => null)) as { error?: { type?: string; message?: string } } | null;
      throw new ApiError(
        response.status,
        body?.error?.type ?? "http_error",
        body?.error?.message ?? `HTTP ${response.status}`,
      );
    }
    const queue: Array<{ id: string; event: JobEvent }> = [];
    const parser = createParser({
      onEvent: (message) => queue.push({ id: message.id ?? after, event: JSON.parse(message.data) as JobEvent }),
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        while (queue.length > 0) yield queue.shift() as { id: string; event: JobEvent };
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (!(error instanceof TypeError) && (error as { name?: string }).name !== "AbortError") throw error;
    }
  }

  /**
   * Streams a JSONL file of logged exchanges to `POST /v1/logs` and yields the server's
   * result lines as they come back (the server answers while the upload is still going).
   */
  async *importLogs(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<LogImportLine> {
    const response = await fetch(`${this.#url}/v1/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.#apiKey}`, "content-type": "application/x-ndjson" },
      body,
      duplex: "half",
      ...(signal === undefined ? {} : { signal }),
    } as RequestInit);
    if (!response.ok || response.body === null) {
      const error = (
        (await response.json().catch(() => null)) as { error?: { type?: string; message?: string } } | null
      )?.error;
      throw new ApiError(response.status, error?.type ?? "http_error", error?.message ?? `HTTP ${response.status}`);
    }
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line !== "") yield JSON.parse(line) as LogImportLine;
        newline = buffer.indexOf("\n");
      }
    }
    const rest = (buffer + decoder.decode()).trim();
    if (rest !== "") yield JSON.parse(rest) as LogImportLine;
  }

  async #call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    raw?: ReadableStream<Uint8Array>,
  ): Promise<T> {
    const response = await fetch(`${this.#url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(raw === undefined ? {} : { body: raw, duplex: "half" }),
    } as RequestInit);
    const text = await response.text();
    const parsed: unknown = text === "" ? null : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as { error?: { type?: string; message?: string } } | null)?.error;
      throw new ApiError(response.status, error?.type ?? "http_error", error?.message ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }
}
