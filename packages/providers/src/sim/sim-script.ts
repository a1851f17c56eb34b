import { budgetToEffort } from "../shared/map-reasoning.ts";
import type { SimRequestBody } from "./sim-prepare.ts";
import { planResponse, SIM_EFFORT_BUDGETS, type SimStyle } from "./sim-reasoning.ts";
import { readProblem } from "./sim-solver.ts";
import { splitTokens } from "./sim-tokens.ts";

/** What one sim call will stream, token by token, after every limit is applied. */
export interface SimScript {
  reasoning: string[];
  answer: string[];
  finish: "stop" | "length";
}

/** `prompt` is the last user message with the sim markers removed. */
export function writeScript(body: SimRequestBody, prompt: string): SimScript {
  let reasoning: string[] = [];
  let answer: string[];
  if (body.model === "echo") {
    answer = splitTokens(cutAtStop(prompt, body.stop ?? []));
  } else {
    const style = body.model as SimStyle;
    // The budget is honoured as a cap below; the effort it maps to only sets how thoroughly the sim thinks.
    const effort =
      body.thinking === "disabled"
        ? null
        : body.budget_tokens !== undefined
          ? budgetToEffort(body.budget_tokens, SIM_EFFORT_BUDGETS).value
          : (body.effort ?? "medium");
    const drawKey = JSON.stringify([body.model, body.seed ?? null, body.temperature ?? null, prompt]);
    const plan = planResponse({ style, problem: readProblem(prompt), effort, drawKey });
    reasoning = splitTokens(plan.reasoning).slice(0, body.budget_tokens ?? Number.POSITIVE_INFINITY);
    answer = splitTokens(plan.answer);
  }

  const limit = body.max_tokens;
  if (reasoning.length >= limit && answer.length > 0) {
    return { reasoning: reasoning.slice(0, limit), answer: [], finish: "length" };
  }
  if (reasoning.length + answer.length > limit) {
    return { reasoning, answer: answer.slice(0, limit - reasoning.length), finish: "length" };
  }
  return { reasoning, answer, finish: "stop" };
}

function cutAtStop(text: string, stops: readonly string[]): string {
  const at = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0), text.length);
  return text.slice(0, at);
}
