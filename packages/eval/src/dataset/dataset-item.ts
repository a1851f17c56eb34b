import { findUnstorableText, MAX_MESSAGES, MessageSchema, MetadataSchema } from "@reasonq/core";
import { z } from "zod";

/** Longest item id; ids end up in URLs, result rows and CSV exports. */
export const MAX_ITEM_ID_CHARS = 200;
/** Options are lettered A, B, C, …: at most one per letter. */
export const MAX_CHOICES = 26;

const ExpectedSchema = z.union([z.string(), z.number(), z.array(z.string()).min(1), z.record(z.string(), z.unknown())]);

/**
 * One dataset item, as a JSONL line gives it. `id` may be a number (it becomes a string);
 * exactly one of `prompt` and `messages` is required. Unknown fields are refused rather
 * than dropped, so a misspelt `expected` is an error, not a silently unscored item.
 */
export const DatasetItemSchema = z
  .strictObject({
    id: z
      .union([z.string(), z.number().int().nonnegative()])
      .transform(String)
      .pipe(z.string().trim().min(1).max(MAX_ITEM_ID_CHARS))
      .optional(),
    prompt: z.string().min(1).optional(),
    messages: z.array(MessageSchema).min(1).max(MAX_MESSAGES).optional(),
    expected: ExpectedSchema.optional(),
    choices: z.array(z.string().min(1)).min(2).max(MAX_CHOICES).optional(),
    metadata: MetadataSchema.optional(),
  })
  .superRefine((item, ctx) => {
    if ((item.prompt === undefined) === (item.messages === undefined)) {
      ctx.addIssue({ code: "custom", path: ["prompt"], message: "give exactly one of prompt or messages" });
    }
    if (item.choices !== undefined && item.expected !== undefined) {
      const key = choiceIndex(item.expected, item.choices);
      if (key === null) {
        ctx.addIssue({
          code: "custom",
          path: ["expected"],
          message: `with ${item.choices.length} choices, expected must be a letter A-${letter(item.choices.length - 1)} or the text of one choice`,
        });
      }
    }
  });

export type DatasetItemInput = z.input<typeof DatasetItemSchema>;

/** A parsed item: the id is always there (assigned `line-N` when the dataset gave none). */
export type DatasetItem = Omit<z.output<typeof DatasetItemSchema>, "id"> & { id: string };

export type Expected = z.infer<typeof ExpectedSchema>;

/** A problem in a dataset, located so the user can fix it: 1-based line, field path or null. */
export interface DatasetError {
  line: number;
  field: string | null;
  message: string;
}

export const letter = (index: number): string => String.fromCharCode(65 + index);

/** The index of the right option: `expected` is a letter ("B", "b", "(B)") or the exact text of a choice. */
export function choiceIndex(expected: Expected, choices: readonly string[]): number | null {
  if (typeof expected !== "string") return null;
  const trimmed = expected.trim();
  const bare = /^\(?([A-Za-z])\)?$/.exec(trimmed);
  if (bare !== null) {
    const index = (bare[1] as string).toUpperCase().charCodeAt(0) - 65;
    if (index < choices.length) return index;
  }
  const byText = choices.findIndex((c) => c.trim() === trimmed);
  return byText === -1 ? null : byText;
}

/** A zod issue path as users write it: `messages[0].role`, `choices[2]`. */
export function formatPath(path: readonly PropertyKey[]): string | null {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? null : out;
}

/** Names people reach for from other eval tools, and what reasonq calls them. */
const FIELD_HINTS: Record<string, string> = {
  answer: "expected",
  target: "expected",
  label: "expected",
  reference: "expected",
  ideal: "expected",
  question: "prompt",
  input: "prompt",
  query: "prompt",
  options: "choices",
};

/** Validates one decoded record; every problem is returned, none thrown. */
export function validateItem(
  value: unknown,
  line: number,
): { ok: true; item: z.output<typeof DatasetItemSchema> } | { ok: false; errors: DatasetError[] } {
  const unstorable = findUnstorableText(value);
  if (unstorable !== null)
    return { ok: false, errors: [{ line, field: unstorable.field || null, message: unstorable.message }] };
  const parsed = DatasetItemSchema.safeParse(value);
  if (parsed.success) return { ok: true, item: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): DatasetError[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const hint = FIELD_HINTS[key];
        return {
          line,
          field: formatPath([...issue.path, key]),
          message: `unknown field "${key}"${hint === undefined ? "" : ` (did you mean "${hint}"?)`}`,
        };
      });
    }
    return [{ line, field: formatPath(issue.path), message: issue.message }];
  });
  return { ok: false, errors };
}
