/**
 * The request checks the real API makes that an adapter can trip over (providers.md §1.5,
 * §2.1, §9 items 1–2), answered with OpenAI's own error shapes and, where one was
 * recorded, its own words.
 */
import { failure, type MockFailure } from "./openai-mock-errors.ts";
import type { MockEffort, MockModel } from "./openai-mock-models.ts";

export type Body = Record<string, unknown>;

/** Rejected on reasoning models (providers.md §1.5), except with effort `none` on gpt-5.1+. */
const SAMPLING = ["temperature", "top_p", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs"];

const CHAT_PARAMS = new Set([
  "model",
  "messages",
  "max_completion_tokens",
  "max_tokens",
  "reasoning_effort",
  "stream",
  "stream_options",
  ...SAMPLING,
  "n",
  "stop",
  "seed",
  "logit_bias",
  "response_format",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "user",
  "store",
  "metadata",
  "service_tier",
  "prediction",
  "modalities",
  "audio",
  "verbosity",
  "web_search_options",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
]);

const RESPONSES_PARAMS = new Set([
  "model",
  "input",
  "instructions",
  "reasoning",
  "include",
  "max_output_tokens",
  "store",
  "stream",
  "stream_options",
  "background",
  "metadata",
  "temperature",
  "top_p",
  "top_logprobs",
  "text",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "previous_response_id",
  "conversation",
  "prompt",
  "truncation",
  "user",
  "service_tier",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "max_tool_calls",
]);

/** Chat Completions names that the Responses API moved elsewhere. */
const MOVED: Record<string, string> = {
  max_tokens: "max_output_tokens",
  max_completion_tokens: "max_output_tokens",
  reasoning_effort: "reasoning.effort",
  messages: "input",
};

const ROLES = ["system", "developer", "user", "assistant", "tool"];

export function validateChat(body: Body, model: MockModel): MockFailure | undefined {
  if (!model.chat) {
    return failure(404, "This model is only supported in v1/responses and not in v1/chat/completions.", {
      param: "model",
    });
  }
  for (const key of Object.keys(body)) {
    if (!CHAT_PARAMS.has(key)) return failure(400, `Unrecognized request argument supplied: ${key}`);
  }
  const messages = body.messages;
  if (!Array.isArray(messages)) {
    return failure(400, "Missing required parameter: 'messages'.", {
      param: "messages",
      code: "missing_required_parameter",
    });
  }
  if (messages.length === 0) {
    return failure(400, "[] is too short - 'messages'", { param: "messages", code: "empty_array" });
  }
  for (const [i, message] of messages.entries()) {
    const problem = checkMessage(message, `messages[${i}]`, model, CHAT_PARTS);
    if (problem !== undefined) return problem;
  }
  if (body.max_tokens !== undefined) {
    return failure(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      { param: "max_tokens", code: "unsupported_parameter" },
    );
  }
  const effortProblem = checkEffort(body.reasoning_effort, model, "reasoning_effort");
  if (effortProblem !== undefined) return effortProblem;
  const effort = (body.reasoning_effort as MockEffort | undefined) ?? model.defaultEffort;
  const samplingProblem = checkSampling(body, model, effort);
  if (samplingProblem !== undefined) return samplingProblem;
  const maxProblem = checkMaxTokens(body.max_completion_tokens, "max_completion_tokens", model);
  if (maxProblem !== undefined) return maxProblem;
  if (body.stream_options !== undefined && body.stream !== true) {
    return failure(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", {
      param: "stream_options",
    });
  }
  return undefined;
}

export function validateResponses(body: Body, model: MockModel): MockFailure | undefined {
  if (!model.responses) {
    return failure(400, `The requested model '${model.id}' is not supported with the Responses API.`, {
      param: "model",
      code: "unsupported_model",
    });
  }
  for (const key of Object.keys(body)) {
    const moved = MOVED[key];
    if (moved !== undefined) {
      return failure(
        400,
        `Unsupported parameter: '${key}'. In the Responses API, this parameter has moved to '${moved}'. Try again with the new parameter.`,
        { param: key, code: "unsupported_parameter" },
      );
    }
    if (!RESPONSES_PARAMS.has(key)) {
      return failure(400, `Unknown parameter: '${key}'.`, { param: key, code: "unknown_parameter" });
    }
  }
  if (body.background === true) {
    return failure(400, "Background mode is not implemented by the reasonq OpenAI mock.", { param: "background" });
  }
  const input = body.input;
  if (typeof input !== "string") {
    if (!Array.isArray(input) || input.length === 0) {
      return failure(400, "Missing required parameter: 'input'.", {
        param: "input",
        code: "missing_required_parameter",
      });
    }
    for (const [i, item] of input.entries()) {
      // Reasoning items, calls and their outputs are checked against the server's state.
      if (typeof (item as Body | null)?.type === "string" && (item as Body).type !== "message") continue;
      const problem = checkMessage(item, `input[${i}]`, model, RESPONSES_PARTS);
      if (problem !== undefined) return problem;
    }
  }
  const reasoning = body.reasoning;
  let effort = model.defaultEffort;
  if (reasoning !== undefined && reasoning !== null) {
    if (typeof reasoning !== "object" || Array.isArray(reasoning)) {
      return failure(400, "Invalid type for 'reasoning': expected an object.", {
        param: "reasoning",
        code: "invalid_type",
      });
    }
    const r = reasoning as Body;
    const effortProblem = checkEffort(r.effort, model, "reasoning.effort");
    if (effortProblem !== undefined) return effortProblem;
    if (typeof r.effort === "string") effort = r.effort as MockEffort;
    const summaryProblem = checkSummary(r.summary, model);
    if (summaryProblem !== undefined) return summaryProblem;
  }
  const samplingProblem = checkSampling(body, model, effort);
  if (samplingProblem !== undefined) return samplingProblem;
  const maxProblem = checkMaxTokens(body.max_output_tokens, "max_output_tokens", model);
  if (maxProblem !== undefined) return maxProblem;
  if (body.stream_options !== undefined && body.stream !== true) {
    return failure(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", {
      param: "stream_options",
    });
  }
  return undefined;
}

/** Content part types per API, and the field an image part must carry. */
const CHAT_PARTS: Readonly<Record<string, string | null>> = {
  text: null,
  image_url: "image_url",
  refusal: null,
  input_audio: null,
  file: null,
};
const RESPONSES_PARTS: Readonly<Record<string, string | null>> = {
  input_text: null,
  input_image: "image_url",
  input_file: null,
  output_text: null,
  refusal: null,
};

function checkMessage(
  message: unknown,
  path: string,
  model: MockModel,
  parts: Readonly<Record<string, string | null>>,
): MockFailure | undefined {
  if (typeof message !== "object" || message === null) {
    return failure(400, `Invalid type for '${path}': expected an object.`, { param: path, code: "invalid_type" });
  }
  const { role, content } = message as Body;
  if (typeof role !== "string" || !ROLES.includes(role)) {
    return failure(
      400,
      `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
      { param: `${path}.role`, code: "invalid_value" },
    );
  }
  if (!model.systemRole && (role === "system" || role === "developer")) {
    return failure(400, `Unsupported value: '${path}.role' does not support '${role}' with this model.`, {
      param: `${path}.role`,
      code: "unsupported_value",
    });
  }
  if (typeof content !== "string" && !Array.isArray(content)) {
    // An assistant turn that only called tools has null content.
    if (role === "assistant" && content === null) return undefined;
    return failure(400, `Invalid type for '${path}.content': expected one of a string or array of objects.`, {
      param: `${path}.content`,
      code: "invalid_type",
    });
  }
  for (const [j, part] of (Array.isArray(content) ? content : []).entries()) {
    const type = (part as Body | null)?.type;
    const needs = typeof type === "string" ? parts[type] : undefined;
    if (needs === undefined) {
      return failure(
        400,
        `Invalid value: '${String(type)}'. Supported values are: ${listValues(Object.keys(parts))}.`,
        { param: `${path}.content[${j}].type`, code: "invalid_value" },
      );
    }
    if (needs !== null && (part as Body)[needs] === undefined) {
      return failure(400, `Missing required parameter: '${path}.content[${j}].${needs}'.`, {
        param: `${path}.content[${j}].${needs}`,
        code: "missing_required_parameter",
      });
    }
  }
  return undefined;
}

function checkEffort(effort: unknown, model: MockModel, param: string): MockFailure | undefined {
  if (effort === undefined || effort === null) return undefined;
  if (model.efforts === null) {
    return failure(400, `Unsupported parameter: '${param}' is not supported with this model.`, {
      param,
      code: "unsupported_parameter",
    });
  }
  if (!model.efforts.includes(effort as MockEffort)) {
    return failure(
      400,
      `Unsupported value: '${param}' does not support '${String(effort)}' with this model. Supported values are: ${listValues(model.efforts)}.`,
      { param, code: "unsupported_value" },
    );
  }
  return undefined;
}

function checkSummary(summary: unknown, model: MockModel): MockFailure | undefined {
  if (summary === undefined || summary === null) return undefined;
  const allowed = model.concise ? ["auto", "concise", "detailed"] : ["auto", "detailed"];
  if (typeof summary === "string" && allowed.includes(summary)) return undefined;
  return failure(
    400,
    `Unsupported value: 'reasoning.summary' does not support '${String(summary)}' with this model. Supported values are: ${listValues(allowed)}.`,
    { param: "reasoning.summary", code: "unsupported_value" },
  );
}

function checkSampling(body: Body, model: MockModel, effort: MockEffort): MockFailure | undefined {
  if (model.samplingWhenNone && effort === "none") return undefined;
  for (const name of SAMPLING) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if ((name === "temperature" || name === "top_p") && value === 1) continue;
    if (name === "temperature" && typeof value === "number") {
      const shown = Number.isInteger(value) ? value.toFixed(1) : String(value);
      return failure(
        400,
        `Unsupported value: 'temperature' does not support ${shown} with this model. Only the default (1) value is supported.`,
        { param: "temperature", code: "unsupported_value" },
      );
    }
    return failure(400, `Unsupported parameter: '${name}' is not supported with this model.`, {
      param: name,
      code: "unsupported_parameter",
    });
  }
  return undefined;
}

function checkMaxTokens(value: unknown, param: string, model: MockModel): MockFailure | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    return failure(400, `Invalid '${param}': expected a positive integer.`, { param, code: "invalid_value" });
  }
  if (value > model.maxOutput) {
    return failure(
      400,
      `${param} is too large: ${value}. This model supports at most ${model.maxOutput} completion tokens, whereas you provided ${value}.`,
      { param, code: "invalid_value" },
    );
  }
  return undefined;
}

/** `'low', 'medium', and 'high'`, as the API lists accepted values. */
function listValues(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length <= 2) return quoted.join(" and ");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}
