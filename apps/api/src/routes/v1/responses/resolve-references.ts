import { ReasonqError, type ResponseInputItem } from "@reasonq/core";
import type { Store } from "@reasonq/store";

type Concrete = Exclude<ResponseInputItem, { type: "item_reference" }>;

/**
 * `item_reference` items (what clients such as the Vercel AI SDK send for a stored
 * response's output) replaced by the items they name: `rs_<job id>` the job's reasoning,
 * `msg_<job id>` its message, `fc_<call id>` the function call, from the key's own jobs.
 */
export async function resolveReferences(
  store: Store,
  apiKeyId: string,
  items: readonly ResponseInputItem[],
): Promise<Concrete[]> {
  const out: Concrete[] = [];
  for (const [index, item] of items.entries()) {
    if (item.type !== "item_reference") {
      out.push(item);
      continue;
    }
    const found = await resolve(store, apiKeyId, item.id);
    if (found === undefined) {
      throw new ReasonqError(
        "invalid_request",
        `input.${index}: item_reference ${item.id} is not an output item of this key's stored responses`,
        { field: `input.${index}.id` },
      );
    }
    out.push(found);
  }
  return out;
}

async function resolve(store: Store, apiKeyId: string, id: string): Promise<Concrete | undefined> {
  if (id.startsWith("fc_")) {
    const callId = id.slice(3);
    const output = await store.jobs.outputWithToolCall(apiKeyId, callId);
    const call = output?.tool_calls?.find((c) => c.id === callId);
    if (call === undefined) return undefined;
    return { type: "function_call", call_id: call.id, name: call.function.name, arguments: call.function.arguments };
  }
  const kind = id.startsWith("rs_") ? "reasoning" : id.startsWith("msg_") ? "message" : undefined;
  if (kind === undefined) return undefined;
  const output = (await store.responses.get(id.slice(kind === "reasoning" ? 3 : 4), apiKeyId))?.job.output;
  if (output === undefined || output === null) return undefined;
  if (kind === "message") return { type: "message", role: "assistant", content: output.answer };
  return {
    type: "reasoning",
    id,
    summary: output.reasoning === "" ? [] : [{ type: "summary_text", text: output.reasoning }],
  };
}
