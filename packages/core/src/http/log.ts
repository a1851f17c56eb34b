import { z } from "zod";
import { ErrorTypeSchema } from "../errors/reasonq-error.ts";
import { JobSchema } from "../job.ts";
import { MetadataSchema } from "../request/job-request.ts";

export const LOG_FORMATS = ["openai-chat", "openai-responses", "anthropic", "gemini", "deepseek", "gateway"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const Timestamp = z.iso.datetime({ offset: true });

/** One logged exchange (`POST /v1/logs`). Unknown fields are refused, not dropped. */
export const LogRequestSchema = z
  .strictObject({
    request: z.record(z.string(), z.unknown()),
    response: z.record(z.string(), z.unknown()),
    format: z.enum(LOG_FORMATS).optional(),
    /** Narrows the model lookup (`<provider>/<model>` first) and must agree with the model found. */
    provider: z.string().min(1).max(100).optional(),
    /** A catalog model, when neither the response nor the request names one the catalog knows. */
    model: z.string().min(1).max(200).optional(),
    started_at: Timestamp.optional(),
    completed_at: Timestamp.optional(),
    metadata: MetadataSchema.optional(),
  })
  .meta({ id: "LogRequest" });
export type LogRequest = z.output<typeof LogRequestSchema>;

/** The answer to one logged exchange (a JSON body). */
export const LogResultSchema = z
  .object({
    object: z.literal("log"),
    job: JobSchema,
    /** False when the same provider response was logged before: `job` is that earlier job. */
    created: z.boolean(),
    format: z.enum(LOG_FORMATS),
  })
  .meta({ id: "LogResult" });

const LineErrorSchema = z.object({ type: ErrorTypeSchema, message: z.string(), field: z.string().optional() });
export type LogLineError = z.infer<typeof LineErrorSchema>;

/** One line of the JSONL answer to a JSONL upload: per line, then an early stop or the summary. */
export const LogImportLineSchema = z.union([
  z.object({ line: z.number().int(), job_id: z.string(), created: z.boolean() }),
  z.object({ line: z.number().int(), error: LineErrorSchema }),
  /** The upload stopped early: lines after `after_line` were not read. */
  z.object({ object: z.literal("error"), error: LineErrorSchema, after_line: z.number().int() }),
  z.object({
    object: z.literal("summary"),
    lines: z.number().int(),
    stored: z.number().int(),
    duplicates: z.number().int(),
    errors: z.number().int(),
  }),
]);
export type LogImportLine = z.infer<typeof LogImportLineSchema>;
