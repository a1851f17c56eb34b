import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

export interface SseWriter {
  /** Writes one event: an optional `event:` line, then `data:` (objects are JSON-encoded). */
  event(data: unknown, name?: string): Promise<void>;
  /** Writes raw text as is (comments such as `: keep-alive`, `data: [DONE]`, odd delimiters). */
  raw(text: string): Promise<void>;
  /** Cuts the connection mid-stream without a proper end, as a dropped stream does. */
  cut(): void;
  end(): void;
}

export interface SseOptions {
  /** Pause before each write, to simulate a slow trickle or a long reasoning phase. */
  delayMs?: number;
  /** The blank-line delimiter between events (`\n\n`, or `\r\n\r\n` as Gemini sends). */
  delimiter?: string;
  headers?: Record<string, string>;
}

export function startSse(response: ServerResponse, options: SseOptions = {}): SseWriter {
  const delimiter = options.delimiter ?? "\n\n";
  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...options.headers,
  });
  response.flushHeaders();
  const pause = async () => {
    if (options.delayMs !== undefined && options.delayMs > 0) await delay(options.delayMs);
  };
  return {
    async event(data, name) {
      await pause();
      const payload = typeof data === "string" ? data : JSON.stringify(data);
      response.write(`${name === undefined ? "" : `event: ${name}\n`}data: ${payload}${delimiter}`);
    },
    async raw(text) {
      await pause();
      response.write(text);
    },
    cut() {
      response.socket?.destroy();
    },
    end() {
      response.end();
    },
  };
}
