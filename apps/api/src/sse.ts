import type { FastifyReply } from "fastify";

export interface SseStream {
  /** Writes one event; objects are sent as JSON. */
  send(data: unknown, options?: { id?: string; event?: string }): void;
  comment(text: string): void;
  end(): void;
  /** Aborted when the client goes away or the server shuts down. */
  signal: AbortSignal;
}

/** A stream whose response headers are not sent yet: its signal already follows the client and shutdown. */
export interface PendingSseStream {
  signal: AbortSignal;
  /** Sends the 200 and the headers: the stream has begun. */
  start(headers?: Record<string, string>): SseStream;
  /** The request is answered some other way (an error): stop tracking it. */
  cancel(): void;
}

/**
 * Server-Sent Event responses, tracked so that a shutdown ends them instead of waiting
 * on clients that never hang up (the app calls `closeAll` before it closes).
 */
export class SseStreams {
  readonly #open = new Set<AbortController>();

  start(reply: FastifyReply, headers: Record<string, string> = {}): SseStream {
    return this.pending(reply).start(headers);
  }

  /**
   * A stream that may still answer with an HTTP error instead: OpenAI answers a request it
   * rejects with the error status, so the compatible routes hold the headers until the job
   * shows output (or fails).
   */
  pending(reply: FastifyReply): PendingSseStream {
    const controller = new AbortController();
    this.#open.add(controller);
    const raw = reply.raw;
    const finish = () => {
      this.#open.delete(controller);
      controller.abort();
    };
    // A client gone before this point has no close event left to send.
    if (raw.destroyed) finish();
    else raw.on("close", finish);
    return {
      signal: controller.signal,
      cancel: () => {
        raw.off("close", finish);
        this.#open.delete(controller);
      },
      start: (headers = {}) => {
        reply.hijack();
        raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
          ...headers,
        });
        return {
          signal: controller.signal,
          send(data, options = {}) {
            if (raw.writableEnded) return;
            const lines: string[] = [];
            if (options.id !== undefined) lines.push(`id: ${options.id}`);
            if (options.event !== undefined) lines.push(`event: ${options.event}`);
            lines.push(`data: ${typeof data === "string" ? data : JSON.stringify(data)}`);
            raw.write(`${lines.join("\n")}\n\n`);
          },
          comment(text) {
            if (!raw.writableEnded) raw.write(`: ${text}\n\n`);
          },
          end() {
            if (!raw.writableEnded) raw.end();
            finish();
          },
        };
      },
    };
  }

  closeAll(): void {
    for (const controller of this.#open) controller.abort();
  }
}
