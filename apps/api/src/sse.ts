import type { FastifyReply } from "fastify";

export interface SseStream {
  /** Writes one event; objects are sent as JSON. */
  send(data: unknown, options?: { id?: string; event?: string }): void;
  comment(text: string): void;
  end(): void;
  /** Aborted when the client goes away or the server shuts down. */
  signal: AbortSignal;
}

/**
 * Server-Sent Event responses, tracked so that a shutdown ends them instead of waiting
 * on clients that never hang up (the app calls `closeAll` before it closes).
 */
export class SseStreams {
  readonly #open = new Set<AbortController>();

  start(reply: FastifyReply, headers: Record<string, string> = {}): SseStream {
    const controller = new AbortController();
    this.#open.add(controller);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      ...headers,
    });
    const finish = () => {
      this.#open.delete(controller);
      controller.abort();
    };
    raw.on("close", finish);
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
  }

  closeAll(): void {
    for (const controller of this.#open) controller.abort();
  }
}
