import { z } from "zod";
import { JobSchema } from "../job.ts";
import { ToolCallSchema } from "../request/tools.ts";
import { CostSchema } from "../result/cost.ts";
import { UsageSchema } from "../result/usage.ts";
import { JobStatusSchema } from "../status/job-status.ts";

/**
 * The live events of a job, as `GET /v1/jobs/{id}/events` sends them (the SSE `event:`
 * name is `type`). Deltas carry their attempt: when a `status` event announces a new
 * attempt, text of earlier attempts is void (the job's stored output is the last
 * attempt's), so a client clears what it showed. A `tool_call` event carries one complete
 * call (id, name, arguments as a JSON string) as soon as the model has finished writing it.
 */
export const JobEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("status"),
    status: JobStatusSchema,
    attempt: z.number().int(),
    /** Why a running attempt ended and the job went back to the queue. */
    error: z.object({ type: z.string(), message: z.string() }).optional(),
    /**
     * Set while the job waits on its provider's batch API (provider_batch lane): the batch
     * it is in and, once submitted, the provider's id and word for its state.
     */
    waiting: z
      .object({
        on: z.literal("provider_batch"),
        provider_batch_id: z.string(),
        provider: z.string(),
        provider_status: z.string().optional(),
      })
      .optional(),
  }),
  z.object({ type: z.literal("reasoning.delta"), attempt: z.number().int(), text: z.string() }),
  z.object({ type: z.literal("answer.delta"), attempt: z.number().int(), text: z.string() }),
  z.object({ type: z.literal("tool_call"), attempt: z.number().int(), call: ToolCallSchema }),
  z.object({ type: z.literal("usage"), attempt: z.number().int(), usage: UsageSchema, cost: CostSchema.nullable() }),
  z.object({ type: z.literal("done"), job: JobSchema }),
]);
export type JobEvent = z.infer<typeof JobEventSchema>;
export type JobEventType = JobEvent["type"];
