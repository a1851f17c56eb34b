import type { Job, JobEvent } from "@reasonq/core";
import { createParser } from "eventsource-parser";

const KEY = "reasonq.apiKey";

/** The API key lives in this tab's sessionStorage only: never in a URL, gone when the tab closes. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn: (key: string) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

async function request(path: string, init: RequestInit = {}, key = session.key()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set("authorization", `Bearer ${key}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { type?: string; message?: string } } | null;
    if (response.status === 401 && key === session.key()) {
      session.signOut();
      window.dispatchEvent(new Event("reasonq:signed-out"));
    }
    throw new ApiError(
      response.status,
      body?.error?.type ?? "http_error",
      body?.error?.message ?? `HTTP ${response.status}`,
    );
  }
  return response;
}

export async function getJson<T>(path: string, key?: string): Promise<T> {
  return (await request(path, {}, key)).json() as Promise<T>;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (await request(path, { method: "POST", body: JSON.stringify(body) })).json() as Promise<T>;
}

export async function getText(path: string): Promise<string> {
  return (await request(path)).text();
}

/** A JSONL answer (batch results), parsed line by line. */
export async function getJsonLines<T>(path: string): Promise<T[]> {
  const text = await getText(path);
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

export interface List<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * A job's live events after `after` (an event id), until `done` or until the connection
 * drops; then it ends and the caller resumes from the last id it saw. EventSource cannot
 * send an Authorization header, so the stream is read with fetch.
 */
export async function* jobEvents(
  id: string,
  after: string,
  signal: AbortSignal,
): AsyncGenerator<{ id: string; event: JobEvent }> {
  const response = await request(`/v1/jobs/${encodeURIComponent(id)}/events`, {
    headers: { "last-event-id": after, accept: "text/event-stream" },
    signal,
  });
  if (response.body === null) return;
  const queue: Array<{ id: string; event: JobEvent }> = [];
  const parser = createParser({
    onEvent: (message) => queue.push({ id: message.id ?? after, event: JSON.parse(message.data) as JobEvent }),
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
      while (queue.length > 0) yield queue.shift() as { id: string; event: JobEvent };
    }
  } catch (error) {
    if (signal.aborted || error instanceof TypeError) return;
    throw error;
  }
}

export type { Job, JobEvent };
