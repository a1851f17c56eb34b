import { ReasonqError } from "@reasonq/core";
import { z } from "zod";

type Item = Record<string, unknown>;

const toList = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export const InputItemsQuerySchema = z.strictObject({
  after: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("desc"),
  /** Accepted as the SDK sends it; the stored items carry everything they had. */
  include: z.preprocess(toList, z.array(z.string().max(100)).max(10)).optional(),
  "include[]": z.preprocess(toList, z.array(z.string().max(100)).max(10)).optional(),
});
export type InputItemsQuery = z.infer<typeof InputItemsQuerySchema>;

const PREFIX: Record<string, string> = {
  message: "msg",
  function_call: "fc",
  function_call_output: "fco",
  reasoning: "rs",
};

/**
 * A request's input items as OpenAI lists them: each with a `type`, an `id` (the one it
 * was sent with, else one made from the response id and its position) and a `status`;
 * message text given as a plain string becomes one text part.
 */
export function storedInput(responseId: string, items: readonly Item[]): Item[] {
  return items.map((raw, index) => {
    const type = typeof raw.type === "string" ? raw.type : "message";
    const item: Item = { ...raw, type };
    item.id ??= `${PREFIX[type] ?? "item"}_${responseId}_${index}`;
    if (type !== "reasoning") item.status ??= "completed";
    if (type === "message" && typeof raw.content === "string") {
      item.content = [{ type: raw.role === "assistant" ? "output_text" : "input_text", text: raw.content }];
    }
    return item;
  });
}

/** One page of the items, newest first unless `order=asc`, after the item `after`. */
export function inputItemList(items: readonly Item[], query: InputItemsQuery) {
  const ordered = query.order === "asc" ? [...items] : [...items].reverse();
  const at = query.after === undefined ? -1 : ordered.findIndex((item) => item.id === query.after);
  if (query.after !== undefined && at === -1) {
    throw new ReasonqError("invalid_request", `after: ${query.after} is not an input item of this response`, {
      field: "after",
    });
  }
  const start = at + 1;
  const page = ordered.slice(start, start + query.limit);
  return {
    object: "list" as const,
    data: page,
    first_id: (page[0]?.id as string | undefined) ?? null,
    last_id: (page.at(-1)?.id as string | undefined) ?? null,
    has_more: start + query.limit < ordered.length,
  };
}
