/**
 * Deterministic text for the OpenAI-shaped mocks (DeepSeek, xAI, OpenRouter, vLLM, …).
 * A token is one whitespace-separated word (with its trailing space), so usage counts are
 * exact and a test can predict them: reasoning and answer are arrays of tokens.
 */

/** Reasoning tokens per effort; a budget is turned into tokens by `tokensForBudget`. */
export const EFFORT_TOKENS: Readonly<Record<string, number>> = {
  none: 0,
  minimal: 6,
  low: 8,
  medium: 16,
  high: 32,
  xhigh: 48,
  max: 64,
  ultra: 64,
};

/** About one mock reasoning token per 256 budget tokens, between 4 and 128. */
export function tokensForBudget(budget: number): number {
  return Math.max(4, Math.min(128, Math.round(budget / 256)));
}

const STEPS = [
  "First, restate what is asked.",
  "Next, check each part of the question.",
  "Then compare the options carefully.",
  "Verify the intermediate result once more.",
  "Consider whether anything was missed.",
  "Finally, settle on the answer.",
];

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** The tokens of a text as the mocks count them. */
export function countTokens(text: string): number {
  return words(text).length;
}

/** Exactly `count` reasoning tokens that start by quoting the prompt. */
export function reasoningTokens(prompt: string, count: number): string[] {
  if (count <= 0) return [];
  const quoted = words(prompt).slice(0, 6).join(" ");
  const source = [...words(`Let me think about "${quoted}".`)];
  for (let i = 0; source.length < count; i++) source.push(...words(STEPS[i % STEPS.length] as string));
  return source.slice(0, count).map((w) => `${w} `);
}

const ARITHMETIC = /(-?\d+)\s*([+\-*x×])\s*(-?\d+)/;

/** The answer: arithmetic in the prompt is solved; anything else is echoed back. */
export function answerTokens(prompt: string): string[] {
  const match = ARITHMETIC.exec(prompt);
  let text: string;
  if (match !== null) {
    const a = Number(match[1]);
    const b = Number(match[3]);
    const result = match[2] === "+" ? a + b : match[2] === "-" ? a - b : a * b;
    text = `The answer is ${result}.`;
  } else {
    text = `You asked: ${words(prompt).slice(0, 12).join(" ") || "nothing"}.`;
  }
  return textTokens(text);
}

/** A text as answer tokens, spacing kept. */
export function textTokens(text: string): string[] {
  const tokens = words(text);
  return tokens.map((w, i) => (i === tokens.length - 1 ? w : `${w} `));
}

export interface ChatScript {
  reasoning: string[];
  answer: string[];
  finish: "stop" | "length" | "content_filter" | "tool_calls";
}

/**
 * What the mock model "generates" within `maxTokens`: reasoning first, then the answer;
 * whatever does not fit is cut and the finish is `length` (reasoning can eat the whole
 * budget, leaving an empty answer, as real reasoning models do).
 */
export function writeChatScript(
  prompt: string,
  reasoningCount: number,
  maxTokens: number | undefined,
  forced?: "length" | "content_filter",
): ChatScript {
  let reasoning = reasoningTokens(prompt, reasoningCount);
  let answer = answerTokens(prompt);
  if (forced === "length") return { reasoning, answer: [], finish: "length" };
  if (forced === "content_filter") return { reasoning, answer: answer.slice(0, 1), finish: "content_filter" };
  if (maxTokens !== undefined && reasoning.length + answer.length > maxTokens) {
    reasoning = reasoning.slice(0, maxTokens);
    answer = answer.slice(0, Math.max(0, maxTokens - reasoning.length));
    return { reasoning, answer, finish: "length" };
  }
  return { reasoning, answer, finish: "stop" };
}
