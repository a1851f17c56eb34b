import { createHash } from "node:crypto";
import type { Fault } from "../faults.ts";
import { structuredAnswer } from "../structured-output.ts";
import { answerFromResults, argumentsFor } from "../tool-script.ts";
import type { MockGeminiRequest } from "./google-mock-validate.ts";

/**
 * What the mock model "says" for a request: thought summaries whose length grows with the
 * thinking it was allowed, an answer, and honest usage in Gemini's own convention
 * (`thoughtsTokenCount` outside `candidatesTokenCount`, cached tokens inside the prompt).
 * Everything is a pure function of the request, so tests are deterministic.
 */
export interface MockScript {
  /** Thought-summary pieces, one per streamed chunk (shown only with `includeThoughts`). */
  thoughts: string[];
  /** Thinking tokens billed: more than the summary shows, as summaries are shorter than the thinking. */
  thoughtsTokens: number;
  /** Answer pieces, one per streamed chunk. */
  answer: string[];
  finishReason: "STOP" | "MAX_TOKENS" | "SAFETY";
  /** The opaque thought signature (only when the model thought). */
  signature: string | null;
  promptTokens: number;
  cachedTokens: number;
  includeThoughts: boolean;
  /** The function the model calls instead of answering. */
  call?: { name: string; args: Record<string, unknown> };
}

/** About four characters per token, like the providers' own rule of thumb. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

const STEPS: ReadonlyArray<[string, string]> = [
  ["Understanding the question", "Let me think about {topic}."],
  ["Breaking it down", "I'll split the problem into smaller steps and take them one at a time."],
  ["Checking the arithmetic", "Each intermediate value needs to be checked before moving on."],
  ["Considering alternatives", "Another reading of the question could change the result, so I'll weigh it."],
  ["Testing edge cases", "Edge cases such as zero or negative values should not break the reasoning."],
  ["Verifying the result", "Working backwards from the result confirms it."],
  ["Reviewing the reasoning", "The chain of steps holds together without gaps."],
  ["Preparing the answer", "The answer should be short and state the result first."],
];

/** Billed thinking tokens per summary piece. */
const TOKENS_PER_STEP = 96;

export function writeScript(
  request: MockGeminiRequest,
  prompt: string,
  model: string,
  fault: Fault,
  cachedTokens: number,
): MockScript {
  const topic = `"${prompt.length > 60 ? `${prompt.slice(0, 57)}...` : prompt}"`;
  const steps =
    request.thinkingTokens <= 0
      ? 0
      : Math.min(STEPS.length, Math.max(1, Math.round(Math.log2(request.thinkingTokens / 128))));
  const thoughts = STEPS.slice(0, steps).map(
    ([title, text]) => `**${title}**\n\n${text.replace("{topic}", topic)}\n\n`,
  );
  let thoughtsTokens = Math.min(request.thinkingTokens, steps * TOKENS_PER_STEP);

  const results = functionResults(request);
  const tool = results.length === 0 ? toolToCall(request) : undefined;
  let answerText = results.length > 0 ? answerFromResults(results) : tool !== undefined ? "" : answerFor(prompt);
  if (request.json !== undefined && results.length === 0 && tool === undefined) {
    answerText = structuredAnswer(request.json ?? undefined, prompt, answerText);
  }
  let finishReason: MockScript["finishReason"] = "STOP";
  if (fault.finish === "length") {
    answerText = "";
    finishReason = "MAX_TOKENS";
  } else if (fault.finish === "content_filter") {
    answerText = "";
    finishReason = "SAFETY";
  } else if (thoughtsTokens >= request.maxOutputTokens) {
    // Thinking draws on maxOutputTokens: a small cap ends with MAX_TOKENS and no answer (§4.2).
    thoughtsTokens = request.maxOutputTokens;
    answerText = "";
    finishReason = "MAX_TOKENS";
  } else if (thoughtsTokens + countTokens(answerText) > request.maxOutputTokens) {
    answerText = answerText.slice(0, (request.maxOutputTokens - thoughtsTokens) * 4);
    finishReason = "MAX_TOKENS";
  }

  const promptTokens = countPromptTokens(request);
  const call =
    tool !== undefined && finishReason === "STOP" ? { name: tool.name, args: argumentsFor(tool, prompt) } : undefined;
  return {
    ...(call === undefined ? {} : { call }),
    thoughts,
    thoughtsTokens,
    answer: splitPieces(answerText),
    finishReason,
    signature: thoughtsTokens > 0 ? signatureFor(model, prompt, thoughts.join("")) : null,
    promptTokens,
    cachedTokens: Math.min(cachedTokens, promptTokens),
    includeThoughts: request.includeThoughts,
  };
}

/** The results of the function responses in the last user turn. */
function functionResults(request: MockGeminiRequest): string[] {
  const last = request.contents.at(-1);
  if (last === undefined || last.role !== "user") return [];
  return last.parts.flatMap((p) => {
    if (p.functionResponse === undefined) return [];
    const response = p.functionResponse.response as { result?: unknown } | undefined;
    return [typeof response?.result === "string" ? response.result : JSON.stringify(response ?? {})];
  });
}

function toolToCall(request: MockGeminiRequest) {
  if (request.toolMode === "NONE") return undefined;
  const allowed = request.allowedFunctionNames;
  return request.tools.find((t) => allowed.length === 0 || allowed.includes(t.name));
}

export function countPromptTokens(request: MockGeminiRequest): number {
  const contents = request.contents.reduce((n, c) => n + c.parts.reduce((m, p) => m + countTokens(p.text ?? ""), 0), 0);
  return countTokens(request.systemText) + contents;
}

const ARITHMETIC = /(-?\d+(?:\.\d+)?)\s*([+\-*x×/])\s*(-?\d+(?:\.\d+)?)/;

/** Solves `a op b` in the prompt; otherwise a fixed reply naming the question. */
export function answerFor(prompt: string): string {
  const match = ARITHMETIC.exec(prompt);
  if (match !== null) {
    const a = Number(match[1]);
    const b = Number(match[3]);
    const op = match[2];
    const value = op === "+" ? a + b : op === "-" ? a - b : op === "/" ? a / b : a * b;
    if (Number.isFinite(value)) return `The answer is ${Number(value.toFixed(6))}.`;
  }
  return `You asked ${prompt === "" ? "nothing" : `"${prompt}"`}. This is the mock Gemini answer.`;
}

/** Three roughly equal pieces on word boundaries (fewer for short texts). */
function splitPieces(text: string): string[] {
  if (text === "") return [];
  const words = text.split(/(?<= )/);
  const size = Math.max(1, Math.ceil(words.length / 3));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(""));
  return pieces;
}

function signatureFor(model: string, prompt: string, thoughts: string): string {
  const first = createHash("sha256").update(`${model}\n${prompt}\n${thoughts}`).digest();
  const second = createHash("sha256").update(first).digest();
  return Buffer.concat([first, second]).toString("base64");
}

/** Running usage after `thoughts` thinking and `candidates` answer tokens (cumulative, §4.4). */
export function usageMetadata(script: MockScript, thoughts: number, candidates: number): Record<string, unknown> {
  const usage: Record<string, unknown> = { promptTokenCount: script.promptTokens };
  if (candidates > 0) usage.candidatesTokenCount = candidates;
  if (script.cachedTokens > 0) usage.cachedContentTokenCount = script.cachedTokens;
  usage.totalTokenCount = script.promptTokens + candidates + thoughts;
  usage.promptTokensDetails = [{ modality: "TEXT", tokenCount: script.promptTokens }];
  if (script.cachedTokens > 0) usage.cacheTokensDetails = [{ modality: "TEXT", tokenCount: script.cachedTokens }];
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  return usage;
}
