/**
 * What the mock "thinks" and answers: deterministic from the prompt and the effort, with
 * token counts in OpenAI's convention (reasoning tokens are part of the completion /
 * output count; cached tokens are part of the prompt / input count).
 */
import { createHash } from "node:crypto";
import type { Fault } from "../faults.ts";
import type { MockEffort } from "./openai-mock-models.ts";

/** Hidden reasoning tokens spent per effort (plus a small prompt-dependent part). */
const REASONING_TOKENS: Record<MockEffort, number> = {
  none: 0,
  minimal: 48,
  low: 320,
  medium: 1280,
  high: 4608,
  xhigh: 9216,
  max: 18432,
};

/** Reasoning summary parts per effort: more effort, longer summary. */
const SUMMARY_PARTS: Record<MockEffort, number> = { none: 0, minimal: 1, low: 1, medium: 2, high: 3, xhigh: 4, max: 5 };

const SUMMARY_STEPS = [
  "Reading the question",
  "Working it through",
  "Checking the result",
  "Considering alternatives",
  "Settling the answer",
];

export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export interface MockMessage {
  role: string;
  text: string;
}

export interface MockScript {
  reasoningTokens: number;
  /** Reasoning summary parts; empty when no summary was asked or the model gives none. */
  summary: string[];
  answer: string;
  answerTokens: number;
  finish: "stop" | "length" | "content_filter";
}

export interface ScriptInput {
  prompt: string;
  effort: MockEffort;
  summaries: boolean;
  /** max_completion_tokens / max_output_tokens; covers reasoning and answer. */
  maxTokens: number | undefined;
  fault: Fault;
}

export function writeScript({ prompt, effort, summaries, maxTokens, fault }: ScriptInput): MockScript {
  const base = REASONING_TOKENS[effort];
  let reasoningTokens = base === 0 ? 0 : base + (hash(prompt) % 64);
  const summary = summaries ? summaryParts(prompt, effort) : [];
  let answer = answerFor(prompt);
  let finish: MockScript["finish"] = "stop";
  if (fault.finish === "length") {
    answer = "";
    finish = "length";
  } else if (fault.finish === "content_filter") {
    answer = "";
    finish = "content_filter";
  }
  let answerTokens = countTokens(answer);
  if (maxTokens !== undefined && reasoningTokens + answerTokens > maxTokens) {
    // The budget covers reasoning and answer: reasoning that eats it all leaves no answer.
    reasoningTokens = Math.min(reasoningTokens, maxTokens);
    answerTokens = maxTokens - reasoningTokens;
    answer = answer.slice(0, answerTokens * 4);
    answerTokens = countTokens(answer);
    finish = "length";
  }
  return { reasoningTokens, summary, answer, answerTokens, finish };
}

function summaryParts(prompt: string, effort: MockEffort): string[] {
  const topic = short(prompt);
  return Array.from({ length: SUMMARY_PARTS[effort] }, (_, i) => {
    const step = SUMMARY_STEPS[i % SUMMARY_STEPS.length] as string;
    return `**${step}**\n\nLet me think about "${topic}" (step ${i + 1}). I weigh what is asked and what follows from it before answering.`;
  });
}

/** Solves `a op b` when the prompt has one; otherwise a fixed, prompt-derived answer. */
export function answerFor(prompt: string): string {
  const match = /(-?\d+(?:\.\d+)?)\s*([+\-*/x×])\s*(-?\d+(?:\.\d+)?)/.exec(prompt);
  if (match !== null) {
    const a = Number(match[1]);
    const b = Number(match[3]);
    const op = match[2];
    const value = op === "+" ? a + b : op === "-" ? a - b : op === "/" ? a / b : a * b;
    return `The answer is ${Number.isFinite(value) ? String(value) : "undefined"}.`;
  }
  return `Here is a considered answer to "${short(prompt)}": it depends on the details, but the short answer is yes.`;
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

function hash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** The opaque blob a reasoning item carries (populated by default since openai-node 6.47). */
export function encryptedContent(prompt: string, effort: string): string {
  return `gAAAAAB${createHash("sha256").update(`${effort}:${prompt}`).digest("base64url")}`;
}

/** Splits text into stream deltas of a few words; concatenated, they give the text back exactly. */
export function deltas(text: string, words = 3): string[] {
  if (text === "") return [];
  const pieces = text.match(/\s*\S+\s*/g);
  if (pieces === null) return [text];
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i += words) out.push(pieces.slice(i, i + words).join(""));
  return out;
}

/**
 * Prompt tokens, and how many of them the prompt cache served: a prompt seen before on
 * this server is a cache hit for its 1024-token prefix and each further 128 tokens, as
 * OpenAI's automatic caching works.
 */
export function promptUsage(messages: readonly MockMessage[], seen: Set<string>): { tokens: number; cached: number } {
  const tokens = messages.reduce((n, m) => n + countTokens(m.text) + 4, 3);
  const key = JSON.stringify(messages);
  const hit = seen.has(key);
  seen.add(key);
  const cached = hit && tokens >= 1024 ? Math.floor(tokens / 128) * 128 : 0;
  return { tokens, cached };
}

/** Text of a message's content: a string, or parts with `text` (input_text, output_text, text). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) =>
      typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string"
        ? (part as { text: string }).text
        : "",
    )
    .join("");
}

export function toMockMessages(items: unknown): MockMessage[] {
  if (typeof items === "string") return [{ role: "user", text: items }];
  if (!Array.isArray(items)) return [];
  // Reasoning items, calls and call outputs are not messages.
  const messages = items.filter((item) => {
    const type = (item as { type?: unknown } | null)?.type;
    return type === undefined || type === "message";
  });
  return messages.map((item) => {
    const { role, content } = (item ?? {}) as { role?: unknown; content?: unknown };
    return { role: typeof role === "string" ? role : "user", text: contentText(content) };
  });
}

export function lastUserText(messages: readonly MockMessage[]): string {
  return messages.findLast((m) => m.role === "user")?.text ?? "";
}
