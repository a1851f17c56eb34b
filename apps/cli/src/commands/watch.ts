import { setTimeout as delay } from "node:timers/promises";
import type { Job, JobEvent } from "@reasonq/core";
import { ApiError, type ReasonqClient } from "../client.ts";
import { formatJob } from "./client-commands.ts";

export interface Terminal {
  write(text: string): void;
  /** Whether to colour the reasoning (a TTY). */
  color: boolean;
}

const DIM = "\x1b[2m";
const RESET = "\x1b[0m";
const MAX_BACKOFF_MS = 10_000;

/**
 * Shows a job live: its reasoning as it arrives (dimmed on a terminal), then the answer,
 * then usage and spend. A dropped connection is resumed after the last event seen, so
 * nothing is shown twice and nothing is missed.
 */
export async function watch(
  client: Pick<ReasonqClient, "events">,
  id: string,
  term: Terminal,
  retryDelayMs = 500,
): Promise<Job> {
  let after = "0";
  let phase: "none" | "reasoning" | "answer" = "none";
  let backoff = retryDelayMs;
  const heading = (text: string) => term.write(`\n── ${text} ──\n`);

  const show = (event: JobEvent): Job | undefined => {
    switch (event.type) {
      case "status":
        if (event.status === "running") {
          term.write(`${event.attempt > 1 ? "\n" : ""}[attempt ${event.attempt}: running]\n`);
          phase = "none";
        } else if (event.status === "queued" && event.error !== undefined) {
          term.write(`\n[attempt ${event.attempt} failed: ${event.error.type}; retrying]\n`);
        }
        return undefined;
      case "reasoning.delta":
        if (phase !== "reasoning") heading("reasoning");
        phase = "reasoning";
        term.write(term.color ? `${DIM}${event.text}${RESET}` : event.text);
        return undefined;
      case "answer.delta":
        if (phase !== "answer") heading("answer");
        phase = "answer";
        term.write(event.text);
        return undefined;
      case "tool_call":
        heading(`tool call ${event.call.function.name}`);
        phase = "none";
        term.write(event.call.function.arguments);
        return undefined;
      case "usage":
        return undefined;
      case "done":
        return event.job;
    }
  };

  for (;;) {
    try {
      for await (const item of client.events(id, after)) {
        after = item.id;
        backoff = retryDelayMs;
        const done = show(item.event);
        if (done !== undefined) {
          const summary = formatJob({ ...done, output: null });
          term.write(`\n\n${summary}\n`);
          return done;
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) throw error;
    }
    term.write(`\n[connection lost; resuming]\n`);
    await delay(backoff);
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
  }
}
