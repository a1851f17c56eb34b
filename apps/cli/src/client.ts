import type { Job, JobRequest } from "@reasonq/core";

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
