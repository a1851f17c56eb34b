import { z } from "zod";
import { MAX_OUTPUT_TOKENS_LIMIT, MetadataSchema } from "../request/job-request.ts";
import { MAX_IMAGE_URL_CHARS, MAX_MESSAGE_CHARS } from "../request/message.ts";
import { ReasoningEffortParamSchema } from "../request/reasoning-control.ts";
import { TextFormatSchema } from "../request/response-format.ts";

/**
 * The OpenAI Responses API (`POST /v1/responses`) as reasonq accepts it: every response
 * is a reasonq job with the same id. Only what reasonq honours is accepted; anything else
 * (hosted tools, file inputs, …) is refused with a 400 naming the field.
 */

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const text = z.string().max(MAX_MESSAGE_CHARS);
/** Ids the SDK echoes back on items it received (`msg_…`, `rs_…`, `fc_…`). */
const itemId = z.string().min(1).max(200);

const InputTextSchema = z.strictObject({ type: z.literal("input_text"), text });
const InputImageSchema = z.strictObject({
  type: z.literal("input_image"),
  image_url: z.string().max(MAX_IMAGE_URL_CHARS),
  detail: z.enum(["auto", "low", "high"]).optional(),
});
const OutputTextSchema = z.strictObject({
  type: z.literal("output_text"),
  text,
  annotations: z.array(z.unknown()).max(1000).optional(),
  logprobs: z.array(z.unknown()).max(100_000).optional(),
  /** What the SDK's `responses.parse()` adds to the items it returns; ignored when sent back. */
  parsed: z.unknown().optional(),
});
const RefusalSchema = z.strictObject({ type: z.literal("refusal"), refusal: text });

/** A message item; `type` may be left out (the SDK's "easy" input message). */
export const ResponseMessageItemSchema = z.strictObject({
  type: z.literal("message").optional(),
  id: itemId.optional(),
  status: z.enum(["in_progress", "completed", "incomplete"]).optional(),
  role: z.enum(["user", "system", "developer", "assistant"]),
  content: z.union([
    text,
    z
      .array(z.discriminatedUnion("type", [InputTextSchema, InputImageSchema, OutputTextSchema, RefusalSchema]))
      .max(100),
  ]),
});

export const FunctionCallItemSchema = z.strictObject({
  type: z.literal("function_call"),
  id: itemId.optional(),
  status: z.enum(["in_progress", "completed", "incomplete"]).optional(),
  call_id: z.string().min(1).max(200),
  name: z.string().regex(TOOL_NAME),
  arguments: z.string().max(2_000_000),
  /** Added by the SDK's `responses.parse()`; ignored when sent back. */
  parsed_arguments: z.unknown().optional(),
});

export const FunctionCallOutputItemSchema = z.strictObject({
  type: z.literal("function_call_output"),
  id: itemId.nullable().optional(),
  status: z.enum(["in_progress", "completed", "incomplete"]).nullable().optional(),
  call_id: z.string().min(1).max(200),
  output: z.union([text, z.array(InputTextSchema).max(100)]),
});

const SummaryTextSchema = z.strictObject({ type: z.literal("summary_text"), text });

/**
 * A reasoning item sent back: reasonq's own (`rs_<job id>`), found again by its id, or
 * carrying the `encrypted_content` reasonq issued, which holds the turn's thinking blocks.
 */
export const ReasoningItemSchema = z.strictObject({
  type: z.literal("reasoning"),
  id: itemId,
  status: z.enum(["in_progress", "completed", "incomplete"]).optional(),
  summary: z.array(SummaryTextSchema).max(100),
  content: z
    .array(z.strictObject({ type: z.literal("reasoning_text"), text }))
    .max(100)
    .optional(),
  encrypted_content: z.string().max(20_000_000).nullable().optional(),
});

/** An output item of an earlier stored response, by its id (`rs_…`, `msg_…`, `fc_…`). */
export const ItemReferenceSchema = z.strictObject({
  type: z.literal("item_reference"),
  id: itemId,
});

export const ResponseInputItemSchema = z
  .union([
    ResponseMessageItemSchema,
    FunctionCallItemSchema,
    FunctionCallOutputItemSchema,
    ReasoningItemSchema,
    ItemReferenceSchema,
  ])
  .meta({ id: "ResponseInputItem" });
export type ResponseInputItem = z.infer<typeof ResponseInputItemSchema>;

/** A function tool in the Responses shape (flat: name and parameters at the top). */
export const ResponseFunctionToolSchema = z.strictObject({
  type: z.literal("function"),
  name: z.string().regex(TOOL_NAME, { message: "a tool name is 1–64 letters, digits, _ or -" }),
  description: z.string().max(10_000).nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});
export type ResponseFunctionTool = z.infer<typeof ResponseFunctionToolSchema>;

export const ResponseToolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.strictObject({ type: z.literal("function"), name: z.string().regex(TOOL_NAME) }),
]);

export const RESPONSE_INCLUDES = ["reasoning.encrypted_content"] as const;

export const ResponseCreateRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(200),
    input: z.union([text.min(1), z.array(ResponseInputItemSchema).min(1).max(1000)]),
    instructions: text.nullable().optional(),
    reasoning: z
      .strictObject({
        effort: ReasoningEffortParamSchema.nullable().optional(),
        summary: z.enum(["auto", "concise", "detailed"]).nullable().optional(),
      })
      .nullable()
      .optional(),
    max_output_tokens: z.number().int().min(1).max(MAX_OUTPUT_TOKENS_LIMIT).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().gt(0).max(1).nullable().optional(),
    tools: z.array(ResponseFunctionToolSchema).max(128).optional(),
    tool_choice: ResponseToolChoiceSchema.optional(),
    /** One call per turn or several: reasonq passes the model's calls on as they come. */
    parallel_tool_calls: z.boolean().nullable().optional(),
    /** Structured output: `format` json_schema (validated against the schema) or json_object. */
    text: z
      .strictObject({
        format: TextFormatSchema.optional(),
        verbosity: z.enum(["low", "medium", "high"]).nullable().optional(),
      })
      .optional(),
    previous_response_id: z.string().min(1).max(64).nullable().optional(),
    include: z.array(z.enum(RESPONSE_INCLUDES)).max(10).nullable().optional(),
    metadata: MetadataSchema.nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullable().optional(),
    background: z.boolean().nullable().optional(),
    /** false: the response is not kept for retrieve or previous_response_id (the job stays in /v1/jobs). */
    store: z.boolean().nullable().optional(),
    /** OpenAI's end-user id: accepted for compatibility, stored as metadata `user`. */
    user: z.string().max(256).optional(),
    // Standard fields that do not change the answer: recorded on the job as sent.
    service_tier: z.enum(["auto", "default", "flex", "scale", "priority"]).nullable().optional(),
    safety_identifier: z.string().max(256).nullable().optional(),
    prompt_cache_key: z.string().max(1024).nullable().optional(),
    prompt_cache_retention: z.enum(["in_memory", "24h"]).nullable().optional(),
    /** Limits calls to built-in tools, which reasonq does not run: nothing to limit. */
    max_tool_calls: z.number().int().min(1).nullable().optional(),
    truncation: z.enum(["auto", "disabled"]).nullable().optional(),
    // Standard fields reasonq cannot honour: refused by name when they would change the answer.
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    conversation: z
      .union([z.string(), z.looseObject({})])
      .nullable()
      .optional(),
    prompt: z.looseObject({}).nullable().optional(),
  })
  .meta({ id: "ResponseCreateRequest" });
export type ResponseCreateRequest = z.infer<typeof ResponseCreateRequestSchema>;

/** What reasonq keeps of a Responses request beside its job (the job holds the conversation). */
export const StoredResponseRequestSchema = z.object({
  instructions: z.string().nullable(),
  previous_response_id: z.string().nullable(),
  /** This request's own input items, each with an id. */
  input: z.array(z.record(z.string(), z.unknown())),
  tools: z.array(ResponseFunctionToolSchema),
  tool_choice: ResponseToolChoiceSchema,
  reasoning: z.object({ effort: z.string().nullable(), summary: z.string().nullable() }),
  include: z.array(z.string()),
  text: z.object({ format: TextFormatSchema }),
  max_output_tokens: z.number().nullable(),
  temperature: z.number().nullable(),
  top_p: z.number().nullable(),
  parallel_tool_calls: z.boolean(),
  background: z.boolean(),
  store: z.boolean(),
});
export type StoredResponseRequest = z.infer<typeof StoredResponseRequestSchema>;

export const ResponseStatusSchema = z.enum(["queued", "in_progress", "completed", "failed", "cancelled", "incomplete"]);
export type ResponseStatus = z.infer<typeof ResponseStatusSchema>;

const OutputReasoningSchema = z.object({
  type: z.literal("reasoning"),
  id: z.string(),
  summary: z.array(SummaryTextSchema),
  encrypted_content: z.string().nullable().optional(),
  status: z.enum(["in_progress", "completed", "incomplete"]).optional(),
});
const OutputMessageSchema = z.object({
  type: z.literal("message"),
  id: z.string(),
  role: z.literal("assistant"),
  status: z.enum(["in_progress", "completed", "incomplete"]),
  content: z.array(
    z.object({
      type: z.literal("output_text"),
      text: z.string(),
      annotations: z.array(z.unknown()),
      logprobs: z.array(z.unknown()),
    }),
  ),
});
const OutputFunctionCallSchema = z.object({
  type: z.literal("function_call"),
  id: z.string(),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  status: z.enum(["in_progress", "completed", "incomplete"]),
});
export const ResponseOutputItemSchema = z
  .discriminatedUnion("type", [OutputReasoningSchema, OutputMessageSchema, OutputFunctionCallSchema])
  .meta({ id: "ResponseOutputItem" });
export type ResponseOutputItem = z.infer<typeof ResponseOutputItemSchema>;

export const ResponseUsageSchema = z.object({
  input_tokens: z.number().int(),
  input_tokens_details: z.object({ cached_tokens: z.number().int() }),
  output_tokens: z.number().int(),
  output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
  total_tokens: z.number().int(),
});
export type ResponseUsage = z.infer<typeof ResponseUsageSchema>;
