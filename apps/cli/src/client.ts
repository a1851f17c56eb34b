import type { Job, JobEvent, JobRequest } from "@reasonq/core";
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

/** A small typed client over the HTTP API, shaped by core's schemas. */
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

  async #call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.#url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === "" ? null : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as { error?: { type?: string; message?: string } } | null)?.error;
      throw new ApiError(response.status, error?.type ?? "http_error", error?.message ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }
}
