import { answerFromResults, argumentsFor, type MockTool } from "../tool-script.ts";
import { failure, type MockFailure } from "./openai-mock-errors.ts";

type Body = Record<string, unknown>;
const isBody = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The non-message items of a Responses `input` (providers.md §2.1), checked as the API
 * does for stateless (`store: false`) multi-turn:
 * - a reasoning item must carry the `encrypted_content` this server issued for it,
 *   unchanged (without it the item would have to be looked up, and nothing is stored);
 * - a reasoning item must be followed by the item it preceded (a call or a message);
 * - a `function_call_output` answers a `function_call` given earlier in the input.
 */
export function checkInputItems(
  input: readonly unknown[],
  issued: ReadonlyMap<string, string>,
): MockFailure | undefined {
  const calls = new Set<string>();
  for (const [i, raw] of input.entries()) {
    const item = isBody(raw) ? raw : {};
    const path = `input[${i}]`;
    if (item.type === "reasoning") {
      const id = String(item.id);
      if (typeof item.encrypted_content !== "string") {
        return failure(
          404,
          `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
          { param: path },
        );
      }
      if (issued.get(id) !== item.encrypted_content) {
        return failure(
          400,
          `The encrypted content for item ${id} could not be verified. Reason: Encrypted content could not be decrypted or parsed.`,
          { param: `${path}.encrypted_content`, code: "invalid_encrypted_content" },
        );
      }
      if (i === input.length - 1) {
        return failure(400, `Item '${id}' of type 'reasoning' was provided without its required following item.`, {
          param: "input",
        });
      }
    } else if (item.type === "function_call") {
      if (typeof item.call_id !== "string" || typeof item.name !== "string" || typeof item.arguments !== "string") {
        return failure(400, `Missing required parameter: '${path}.call_id'.`, { param: path });
      }
      calls.add(item.call_id);
    } else if (item.type === "function_call_output") {
      if (!calls.has(String(item.call_id))) {
        return failure(400, `No tool call found for function call output with call_id ${String(item.call_id)}.`, {
          param: "input",
        });
      }
    }
  }
  return undefined;
}

/** The function tools of a Responses body (flat: `{type: "function", name, parameters}`). */
export function responsesTools(body: Body): MockTool[] {
  if (!Array.isArray(body.tools)) return [];
  return body.tools.flatMap((tool) =>
    isBody(tool) && tool.type === "function" && typeof tool.name === "string"
      ? [{ name: tool.name, schema: isBody(tool.parameters) ? tool.parameters : {} }]
      : [],
  );
}

/**
 * What the model does with tools: after function outputs it answers from them; on a fresh
 * question it calls the first tool (or the one `tool_choice` forces), unless the choice is `none`.
 */
export function responsesToolTurn(
  body: Body,
  question: string,
): { answer: string } | { call: { name: string; arguments: string } } | null {
  const input = Array.isArray(body.input) ? body.input.filter(isBody) : [];
  const outputs: string[] = [];
  for (let i = input.length - 1; i >= 0 && input[i]?.type === "function_call_output"; i--) {
    outputs.unshift(String(input[i]?.output));
  }
  if (outputs.length > 0) return { answer: answerFromResults(outputs) };
  const tools = responsesTools(body);
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === "none") return null;
  const tool = isBody(choice) ? tools.find((t) => t.name === choice.name) : tools[0];
  if (tool === undefined) return null;
  return { call: { name: tool.name, arguments: JSON.stringify(argumentsFor(tool, question)) } };
}
