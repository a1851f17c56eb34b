import { z } from "zod";
import { ErrorTypeSchema } from "../errors/reasonq-error.ts";

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

/** Every 400 of `POST /v1/datasets`: a refused dataset carries `details`, an ordinary bad request does not. */
export const DatasetErrorsBodySchema = z.object({
  error: z.object({
    type: ErrorTypeSchema,
    message: z.string(),
    field: z.string().optional(),
    details: z
      .array(z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() }))
      .optional(),
  }),
});
