import { z } from "zod";

/** A stored dataset (`POST /v1/datasets`), for `dataset_id` in batches. */
export const DatasetSchema = z
  .object({
    id: z.string(),
    object: z.literal("dataset"),
    name: z.string(),
    format: z.enum(["jsonl", "csv", "inline"]),
    item_count: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: "Dataset" });
export type Dataset = z.infer<typeof DatasetSchema>;

/** A refused dataset: every problem located by line and field in `details`. */
export const DatasetErrorsBodySchema = z.object({
  error: z.object({
    type: z.literal("invalid_request"),
    message: z.string(),
    field: z.string().optional(),
    details: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() })),
  }),
});
