import type { Job, JobEvent, ResponseOutputItem } from "@reasonq/core";
import { callItemId, messageItemId, outputItems, type ResponseObject } from "./response-object.ts";
import { reasoningItemId } from "./to-messages.ts";

export type StreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;

interface OpenItem {
  index: number;
  id: string;
  text: string;
}

const TERMINAL_EVENT = {
  completed: "response.completed",
  incomplete: "response.incomplete",
  failed: "response.failed",
  // The Responses stream has no event of its own for a cancelled response.
  cancelled: "response.failed",
} as const;

/**
 * Turns a job's stored events into the Responses stream events, numbered from 0. The
 * numbering depends only on the job's event log (read from its start every time), so a
 * client resuming with `starting_after` gets the same numbers it saw, and every event once.
 * Text is streamed as the deltas come; items without deltas (tool calls, reasoning kept but
 * not shown, an answer from the provider batch lane) are sent whole when the job ends.
 */
export class ResponseEventMapper {
  #sequence = 0;
  #nextIndex = 0;
  #started = false;
  #reasoning: OpenItem | undefined;
  #message: OpenItem | undefined;
  #reasoningDone = false;
  /** Wire index of each item id, the order the final response lists them in. */
  readonly #order = new Map<string, number>();
  readonly #snapshot: (job: Job | undefined) => ResponseObject;
  readonly #jobId: string;
  readonly #include: readonly string[];

  constructor(jobId: string, include: readonly string[], snapshot: (job: Job | undefined) => ResponseObject) {
    this.#jobId = jobId;
    this.#include = include;
    this.#snapshot = snapshot;
  }

  /** The opening `response.created`. */
  start(): StreamEvent[] {
    const out: StreamEvent[] = [];
    this.#emit(out, "response.created", { response: { ...this.#snapshot(undefined), output: [] } });
    return out;
  }

  map(event: JobEvent): StreamEvent[] {
    const out: StreamEvent[] = [];
    switch (event.type) {
      case "status":
        if (event.status === "running") this.#inProgress(out);
        break;
      case "reasoning.delta":
        this.#reasoningDelta(out, event.text);
        break;
      case "answer.delta":
        this.#answerDelta(out, event.text);
        break;
      case "usage":
        break;
      case "done":
        this.#finish(out, event.job);
        break;
    }
    return out;
  }

  #emit(out: StreamEvent[], type: string, payload: Record<string, unknown>): void {
    out.push({ type, sequence_number: this.#sequence++, ...payload });
  }

  #inProgress(out: StreamEvent[]): void {
    if (this.#started) return;
    this.#started = true;
    const snapshot = this.#snapshot(undefined);
    this.#emit(out, "response.in_progress", { response: { ...snapshot, status: "in_progress", output: [] } });
  }

  #add(out: StreamEvent[], item: Record<string, unknown> & { id: string }): number {
    const index = this.#nextIndex++;
    this.#order.set(item.id, index);
    this.#emit(out, "response.output_item.added", { output_index: index, item });
    return index;
  }

  #reasoningDelta(out: StreamEvent[], text: string): void {
    if (this.#message !== undefined || this.#reasoningDone) return;
    this.#inProgress(out);
    if (this.#reasoning === undefined) {
      const id = reasoningItemId(this.#jobId);
      const index = this.#add(out, { id, type: "reasoning", summary: [] });
      this.#reasoning = { index, id, text: "" };
      this.#emit(out, "response.reasoning_summary_part.added", {
        item_id: id,
        output_index: index,
        summary_index: 0,
        part: { type: "summary_text", text: "" },
      });
    }
    const open = this.#reasoning;
    open.text += text;
    this.#emit(out, "response.reasoning_summary_text.delta", {
      item_id: open.id,
      output_index: open.index,
      summary_index: 0,
      delta: text,
    });
  }

  #closeReasoning(out: StreamEvent[], final: ResponseOutputItem | undefined): void {
    const open = this.#reasoning;
    if (open === undefined) return;
    const text = final?.type === "reasoning" ? (final.summary[0]?.text ?? open.text) : open.text;
    const at = { item_id: open.id, output_index: open.index, summary_index: 0 };
    this.#emit(out, "response.reasoning_summary_text.done", { ...at, text });
    this.#emit(out, "response.reasoning_summary_part.done", { ...at, part: { type: "summary_text", text } });
    const item = final ?? { id: open.id, type: "reasoning", summary: [{ type: "summary_text", text }] };
    this.#emit(out, "response.output_item.done", { output_index: open.index, item });
    this.#reasoning = undefined;
    this.#reasoningDone = true;
  }

  #openMessage(out: StreamEvent[]): OpenItem {
    if (this.#message !== undefined) return this.#message;
    this.#closeReasoning(out, undefined);
    const id = messageItemId(this.#jobId);
    const index = this.#add(out, { id, type: "message", role: "assistant", status: "in_progress", content: [] });
    this.#emit(out, "response.content_part.added", {
      item_id: id,
      output_index: index,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [], logprobs: [] },
    });
    this.#message = { index, id, text: "" };
    return this.#message;
  }

  #answerDelta(out: StreamEvent[], text: string): void {
    this.#inProgress(out);
    const open = this.#openMessage(out);
    open.text += text;
    this.#emit(out, "response.output_text.delta", {
      item_id: open.id,
      output_index: open.index,
      content_index: 0,
      delta: text,
      logprobs: [],
    });
  }

  #finish(out: StreamEvent[], job: Job): void {
    this.#inProgress(out);
    const items = outputItems(job, this.#include);
    const byType = (type: ResponseOutputItem["type"]) => items.find((item) => item.type === type);
    const reasoning = byType("reasoning");
    const message = byType("message");
    if (this.#reasoning !== undefined) this.#closeReasoning(out, reasoning);
    else if (reasoning?.type === "reasoning" && !this.#reasoningDone) this.#wholeReasoning(out, reasoning);
    if (message?.type === "message") {
      const text = message.content[0]?.text ?? "";
      if (this.#message === undefined) this.#answerDelta(out, text);
      this.#closeMessage(out, message, text);
    } else if (this.#message !== undefined) {
      this.#closeMessage(out, undefined, this.#message.text);
    }
    for (const item of items) {
      if (item.type !== "function_call") continue;
      const index = this.#add(out, { ...item, arguments: "", status: "in_progress" });
      const at = { item_id: callItemId(item.call_id), output_index: index };
      this.#emit(out, "response.function_call_arguments.delta", { ...at, delta: item.arguments });
      this.#emit(out, "response.function_call_arguments.done", { ...at, arguments: item.arguments });
      this.#emit(out, "response.output_item.done", { output_index: index, item });
    }
    const response = this.#snapshot(job);
    const ordered = items
      .filter((item) => this.#order.has(item.id))
      .sort((a, b) => (this.#order.get(a.id) ?? 0) - (this.#order.get(b.id) ?? 0));
    this.#emit(out, TERMINAL_EVENT[response.status as keyof typeof TERMINAL_EVENT] ?? "response.failed", {
      response: { ...response, output: ordered },
    });
  }

  #wholeReasoning(out: StreamEvent[], item: Extract<ResponseOutputItem, { type: "reasoning" }>): void {
    const index = this.#add(out, { id: item.id, type: "reasoning", summary: [] });
    for (const [s, part] of item.summary.entries()) {
      const at = { item_id: item.id, output_index: index, summary_index: s };
      this.#emit(out, "response.reasoning_summary_part.added", { ...at, part: { type: "summary_text", text: "" } });
      this.#emit(out, "response.reasoning_summary_text.delta", { ...at, delta: part.text });
      this.#emit(out, "response.reasoning_summary_text.done", { ...at, text: part.text });
      this.#emit(out, "response.reasoning_summary_part.done", { ...at, part });
    }
    this.#emit(out, "response.output_item.done", { output_index: index, item });
    this.#reasoningDone = true;
  }

  #closeMessage(out: StreamEvent[], final: ResponseOutputItem | undefined, text: string): void {
    const open = this.#message;
    if (open === undefined) return;
    const at = { item_id: open.id, output_index: open.index, content_index: 0 };
    const part = { type: "output_text", text, annotations: [], logprobs: [] };
    this.#emit(out, "response.output_text.done", { ...at, text, logprobs: [] });
    this.#emit(out, "response.content_part.done", { ...at, part });
    const item = final ?? { id: open.id, type: "message", role: "assistant", status: "incomplete", content: [part] };
    this.#emit(out, "response.output_item.done", { output_index: open.index, item });
    this.#message = undefined;
  }
}
