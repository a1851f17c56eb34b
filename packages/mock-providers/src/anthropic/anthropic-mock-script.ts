import { createHash, createHmac } from "node:crypto";
import type { Fault } from "../faults.ts";
import { structuredAnswer } from "../structured-output.ts";
import { answerFromResults, argumentsFor, callId } from "../tool-script.ts";
import type { Block, MockMessagesRequest } from "./anthropic-mock-validate.ts";

/** Anthropic's documented test string that makes the API return a redacted_thinking block. */
export const REDACTED_THINKING_TRIGGER =
  "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB";

/** Per-server memory: the prompt cache, and the signatures issued (so modified blocks are caught). */
export interface MockState {
  cache: Set<string>;
  /** signature (or redacted data) → the thinking text the response showed with it. */
  issued: Map<string, string>;
  sequence: number;
}

export type ContentBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface MockScript {
  id: string;
  content: ContentBlock[];
  stopReason: string;
  stopSequence: string | null;
  /** The final usage, in Anthropic's convention (cache reads/writes beside input_tokens). */
  usage: Record<string, unknown>;
}

/** About four characters per token, as Anthropic's docs estimate. */
export const countTokens = (text: string) => Math.ceil(text.length / 4);
/** Tokens the API adds around the messages; never cached. */
const FRAMING_TOKENS = 3;
/** The hidden full reasoning is longer than the summary Claude 4+ returns; it is what is billed. */
const FULL_TO_SUMMARY = 3;
const EFFORT_STEPS: Readonly<Record<string, number>> = { low: 2, medium: 4, high: 8, xhigh: 12, max: 16 };
const SECRET = "reasonq-anthropic-mock";

export function messageText(content: string | Block[]): string {
  if (typeof content === "string") return content;
  return content.map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

export function inputTokens(request: MockMessagesRequest): number {
  const texts = [request.system, ...request.messages.map((m) => messageText(m.content))].filter((t) => t !== "");
  return FRAMING_TOKENS + texts.reduce((n, t) => n + countTokens(t), 0);
}

/** A block passed back must carry a signature this server issued for exactly that text. */
export function checkPassedBack(request: MockMessagesRequest, state: MockState): string | null {
  for (const [i, message] of request.messages.entries()) {
    if (typeof message.content === "string") continue;
    for (const [j, block] of message.content.entries()) {
      if (block.type === "thinking") {
        const shown = typeof block.signature === "string" ? state.issued.get(block.signature) : undefined;
        if (shown === undefined || shown !== block.thinking) {
          return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
        }
      } else if (
        block.type === "redacted_thinking" &&
        !(typeof block.data === "string" && state.issued.has(block.data))
      ) {
        return `messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`;
      }
    }
  }
  return null;
}

/**
 * Deterministic content from the prompt: reasoning that grows with the budget or effort
 * (summarised when shown, billed at its full length), an answer (arithmetic in the prompt is
 * solved), and honest usage. max_tokens, stop sequences and the `finish` fault cut it short.
 */
export function writeScript(request: MockMessagesRequest, prompt: string, fault: Fault, state: MockState): MockScript {
  state.sequence += 1;
  const id = `msg_mock${createHash("sha256").update(`${state.sequence}:${prompt}`).digest("hex").slice(0, 20)}`;
  const content: ContentBlock[] = [];
  const { thinking } = request;

  let thinkingTokens = 0;
  const results = toolResults(request);
  const tool = results.length === 0 ? toolToCall(request) : undefined;
  let answer = results.length > 0 ? answerFromResults(results) : tool !== undefined ? "" : answerFor(prompt);
  if (request.outputSchema !== undefined && results.length === 0 && tool === undefined) {
    answer = structuredAnswer(request.outputSchema, prompt, answer);
  }
  let stopReason = "end_turn";
  let stopSequence: string | null = null;
  if (thinking.on) {
    const steps =
      thinking.budget !== null
        ? Math.min(48, Math.max(1, Math.round(thinking.budget / 1024)))
        : (EFFORT_STEPS[thinking.effort] ?? 4);
    let summary = reasoningFor(prompt, steps);
    thinkingTokens = countTokens(summary) * FULL_TO_SUMMARY;
    if (fault.finish === "length" || thinkingTokens >= request.maxTokens) {
      thinkingTokens = request.maxTokens;
      summary = summary.slice(0, Math.max(1, Math.floor((request.maxTokens * 4) / FULL_TO_SUMMARY)));
      answer = "";
      stopReason = "max_tokens";
    }
    const shown = thinking.display === "summarized" ? summary : "";
    content.push({ type: "thinking", thinking: shown, signature: issue(state, `sig:${id}:${summary}`, shown) });
    if (prompt.includes(REDACTED_THINKING_TRIGGER)) {
      content.push({ type: "redacted_thinking", data: issue(state, `redacted:${id}`, "") });
    }
  } else if (fault.finish === "length") {
    answer = answer.slice(0, Math.max(1, Math.floor(answer.length / 2)));
    stopReason = "max_tokens";
  }
  if (fault.finish === "content_filter") {
    answer = "";
    stopReason = "refusal";
  }

  if (stopReason === "end_turn") {
    const hit = request.stopSequences.map((s) => [s, answer.indexOf(s)] as const).find(([, at]) => at >= 0);
    if (hit !== undefined) {
      answer = answer.slice(0, hit[1]);
      stopReason = "stop_sequence";
      stopSequence = hit[0];
    }
    const room = request.maxTokens - thinkingTokens;
    if (countTokens(answer) > room) {
      answer = answer.slice(0, room * 4);
      stopReason = "max_tokens";
      stopSequence = null;
    }
  }
  if (answer !== "") content.push({ type: "text", text: answer });
  if (tool !== undefined && stopReason === "end_turn") {
    content.push({ type: "tool_use", id: callId("toolu_", id, 0), name: tool.name, input: argumentsFor(tool, prompt) });
    stopReason = "tool_use";
  }

  const outputTokens = Math.min(request.maxTokens, thinkingTokens + countTokens(answer));
  return { id, content, stopReason, stopSequence, usage: usageFor(request, state, outputTokens, thinkingTokens) };
}

/** The texts of the tool results in the last user turn. */
function toolResults(request: MockMessagesRequest): string[] {
  const last = request.messages.at(-1);
  if (last === undefined || last.role !== "user" || typeof last.content === "string") return [];
  return last.content
    .filter((b) => b.type === "tool_result")
    .map((b) => (typeof b.content === "string" ? b.content : messageText(Array.isArray(b.content) ? b.content : [])));
}

function toolToCall(request: MockMessagesRequest) {
  const choice = request.toolChoice;
  if (choice.type === "none") return undefined;
  if (choice.type === "tool") return request.tools.find((t) => t.name === choice.name);
  return request.tools[0];
}

function issue(state: MockState, seed: string, shown: string): string {
  const token = `Eq${createHmac("sha256", SECRET).update(seed).digest("base64")}`;
  state.issued.set(token, shown);
  return token;
}

function usageFor(request: MockMessagesRequest, state: MockState, output: number, thinking: number) {
  const total = inputTokens(request);
  let read = 0;
  let write = 0;
  if (request.cacheControl) {
    // Automatic caching puts the breakpoint on the last block: all but the framing is cacheable.
    const key = createHash("sha256")
      .update(JSON.stringify([request.model, request.system, request.messages]))
      .digest("hex");
    if (state.cache.has(key)) read = total - FRAMING_TOKENS;
    else write = total - FRAMING_TOKENS;
    state.cache.add(key);
  }
  return {
    input_tokens: total - read - write,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: write, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    output_tokens_details: request.spec.reportsThinkingTokens ? { thinking_tokens: thinking } : null,
    service_tier: "standard",
    server_tool_use: null,
    inference_geo: "global",
  };
}

function reasoningFor(prompt: string, steps: number): string {
  const subject = prompt.replace(REDACTED_THINKING_TRIGGER, "").trim().slice(0, 80);
  const lines = [`Let me think about "${subject}".`];
  for (let i = 1; i <= steps; i++) lines.push(`Step ${i}: I check the question from angle ${i} and note what follows.`);
  return lines.join(" ");
}

const ARITHMETIC = /(-?\d+(?:\.\d+)?)\s*([-+*/×x])\s*(-?\d+(?:\.\d+)?)/;

function answerFor(prompt: string): string {
  const match = ARITHMETIC.exec(prompt);
  if (match === null)
    return `Here is my answer to "${prompt.replace(REDACTED_THINKING_TRIGGER, "").trim().slice(0, 80)}".`;
  const a = Number(match[1]);
  const b = Number(match[3]);
  const op = match[2];
  const value = op === "+" ? a + b : op === "-" ? a - b : op === "/" ? a / b : a * b;
  return `The answer is ${value}.`;
}
