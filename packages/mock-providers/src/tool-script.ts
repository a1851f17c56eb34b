/**
 * The deterministic tool behaviour every mock shares: with tools offered (and not refused
 * by the tool choice), a fresh user question is answered with a call to the first tool (or
 * the forced one), arguments filled from its JSON Schema; once tool results come back, the
 * answer quotes them. A test can therefore run a whole question → call → result → answer
 * loop against any mock.
 */
export interface MockTool {
  name: string;
  schema: Record<string, unknown>;
}

/** Arguments for a tool's parameters: strings quote the question, numbers are 1, booleans true. */
export function argumentsFor(tool: MockTool, question: string): Record<string, unknown> {
  const properties = tool.schema.properties;
  const out: Record<string, unknown> = {};
  if (typeof properties !== "object" || properties === null) return out;
  for (const [key, value] of Object.entries(properties as Record<string, { type?: unknown }>)) {
    const type = typeof value === "object" && value !== null ? value.type : undefined;
    out[key] = type === "number" || type === "integer" ? 1 : type === "boolean" ? true : question.trim().slice(0, 60);
  }
  return out;
}

export function answerFromResults(results: readonly string[]): string {
  return `The tool returned: ${results.join("; ")}.`;
}

/** A call id unique to the response and position. */
export function callId(prefix: string, responseId: string, index: number): string {
  return `${prefix}${responseId.replace(/[^a-zA-Z0-9]/g, "").slice(-16)}${index}`;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The function tools of a Chat Completions body (`tools[].function`). */
function chatTools(body: Json): MockTool[] {
  if (!Array.isArray(body.tools)) return [];
  return body.tools.flatMap((tool) => {
    const fn = isJson(tool) && isJson(tool.function) ? tool.function : undefined;
    if (fn === undefined || typeof fn.name !== "string") return [];
    return [{ name: fn.name, schema: isJson(fn.parameters) ? fn.parameters : {} }];
  });
}

/** The tool a Chat Completions body makes the model call now, if any (`tool_choice` honoured). */
function chatToolToCall(body: Json): MockTool | undefined {
  const tools = chatTools(body);
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === "none") return undefined;
  if (isJson(choice) && isJson(choice.function)) return tools.find((t) => t.name === (choice.function as Json).name);
  return tools[0];
}

/** The contents of the tool messages that end a Chat Completions conversation. */
function trailingToolResults(messages: readonly Json[]): string[] {
  const out: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role === "tool"; i--) {
    const content = messages[i]?.content;
    out.unshift(typeof content === "string" ? content : JSON.stringify(content));
  }
  return out;
}

/**
 * OpenAI's rule: a tool message answers a call of the assistant message before it.
 * Returns the message of the 400 when broken.
 */
export function checkChatToolMessages(messages: readonly Json[]): string | undefined {
  let open = new Set<string>();
  for (const message of messages) {
    if (message.role === "assistant") {
      open = new Set(
        (Array.isArray(message.tool_calls) ? message.tool_calls : []).map((c) => String(isJson(c) ? c.id : "")),
      );
    } else if (message.role === "tool" && !open.has(String(message.tool_call_id))) {
      return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
    }
  }
  return undefined;
}

export type ToolTurn = { answer: string } | { call: { id: string; name: string; arguments: string } } | null;

/**
 * What the model does in a Chat Completions turn with tools: after tool messages it
 * answers from them; on a fresh question it calls a tool; null without tools.
 */
export function chatToolTurn(body: Json, question: string, responseId: string): ToolTurn {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isJson) : [];
  const results = trailingToolResults(messages);
  if (results.length > 0) return { answer: answerFromResults(results) };
  const tool = chatToolToCall(body);
  if (tool === undefined) return null;
  const args = JSON.stringify(argumentsFor(tool, question));
  return { call: { id: callId("call_", responseId, 0), name: tool.name, arguments: args } };
}
