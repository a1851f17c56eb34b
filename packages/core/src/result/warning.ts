import { z } from "zod";

/** A control that was adapted rather than honoured as given; carried on the job. */
export const WarningSchema = z
  .object({
    type: z.enum(["adapted", "unsupported", "deprecated"]),
    field: z.string().optional(),
    message: z.string(),
  })
  .meta({ id: "Warning" });
export type Warning = z.infer<typeof WarningSchema>;
