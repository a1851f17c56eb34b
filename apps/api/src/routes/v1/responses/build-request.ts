import {
  isTerminal,
  type MessageInput,
  type ParsedJobRequest,
  ReasonqError,
  type ResponseCreateRequest,
  type ResponseInputItem,
  type StoredResponseRequest,
} from "@reasonq/core";
import type { Store } from "@reasonq/store";
import { restoreThinkingBlocks } from "../../../services/restore-reasoning.ts";
import { resolveReferences } from "./resolve-references.ts";
import { itemsToMessages, outputToInput, storedToInput } from "./to-messages.ts";

export interface BuiltRequest {
  job: ParsedJobRequest;
  stored: StoredResponseRequest;
}

/**
 * A Responses request as a reasonq job request: `previous_response_id` brings back the
 * stored conversation of that response (without its instructions, as OpenAI does) and its
 * answer turn, reasoning blocks and tool calls included; then this request's items follow.
 */
export async function buildRequest(store: Store, apiKeyId: string, body: ResponseCreateRequest): Promise<BuiltRequest> {
  if (body.background === true && body.store === false) {
    throw new ReasonqError("invalid_request", "background: a background response is stored; it needs store: true", {
      field: "background",
    });
  }
  const items: ResponseInputItem[] =
    typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
  const messages: MessageInput[] = [];
  const instructions = body.instructions ?? null;
  if (instructions !== null) messages.push({ role: "system", content: instructions });
  const previousId = body.previous_response_id ?? null;
  if (previousId !== null) messages.push(...(await previousConversation(store, apiKeyId, previousId)));
  const lookup = async (jobId: string) => (await store.responses.get(jobId, apiKeyId))?.job.output ?? undefined;
  messages.push(...(await itemsToMessages(await resolveReferences(store, apiKeyId, items), lookup)));

  const job: ParsedJobRequest = {
    model: body.model,
    messages: await restoreThinkingBlocks(store, apiKeyId, messages),
  };
  const tools = body.tools ?? [];
  if (tools.length > 0) {
    job.tools = tools.map((tool) => ({
      type: "function" as const,
      function: {
        name: tool.name,
        ...(typeof tool.description === "string" ? { description: tool.description } : {}),
        ...(tool.parameters == null ? {} : { parameters: tool.parameters }),
        ...(tool.strict == null ? {} : { strict: tool.strict }),
      },
    }));
  }
  const choice = body.tool_choice;
  if (choice !== undefined) {
    job.tool_choice = typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
  }
  const effort = body.reasoning?.effort ?? null;
  const summary = body.reasoning?.summary ?? null;
  if (effort !== null) job.reasoning_effort = effort;
  // OpenAI returns reasoning text only as a summary that was asked for; so does reasonq.
  job.reasoning = { include: summary !== null };
  if (body.max_output_tokens != null) job.max_output_tokens = body.max_output_tokens;
  if (body.temperature != null) job.temperature = body.temperature;
  if (body.top_p != null) job.top_p = body.top_p;
  const format = body.text?.format;
  if (format?.type === "json_schema") {
    const { type, ...json_schema } = format;
    job.response_format = { type, json_schema };
  } else if (format !== undefined) {
    job.response_format = format;
  }
  const metadata = { ...body.metadata, ...(body.user === undefined ? {} : { user: body.user }) };
  if (Object.keys(metadata).length > 0) job.metadata = metadata;

  const stored: StoredResponseRequest = {
    instructions,
    previous_response_id: previousId,
    input: items.map((item) => ({ ...item })),
    tools,
    tool_choice: choice ?? "auto",
    reasoning: { effort, summary },
    include: body.include ?? [],
    text: { format: body.text?.format ?? { type: "text" } },
    max_output_tokens: body.max_output_tokens ?? null,
    temperature: body.temperature ?? null,
    top_p: body.top_p ?? null,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    background: body.background === true,
    store: body.store !== false,
  };
  return { job, stored };
}

async function previousConversation(store: Store, apiKeyId: string, id: string): Promise<MessageInput[]> {
  const previous = await store.responses.get(id, apiKeyId);
  if (previous === undefined) {
    throw new ReasonqError("invalid_request", `previous_response_id: no stored response ${id}`, {
      field: "previous_response_id",
    });
  }
  if (!isTerminal(previous.job.status)) {
    throw new ReasonqError(
      "invalid_request",
      `previous_response_id: response ${id} is still ${previous.job.status}; continue it once it has finished`,
      { field: "previous_response_id" },
    );
  }
  const sent = previous.job.spec.messages;
  const own = previous.response.request.instructions === null ? sent : sent.slice(1);
  const out = own.map(storedToInput);
  const answer = previous.job.output === null ? undefined : outputToInput(previous.job.output);
  if (answer !== undefined) out.push(answer);
  return out;
}
