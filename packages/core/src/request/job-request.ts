import { z } from "zod";
import { flattenMessage, MAX_MESSAGE_CHARS, MAX_MESSAGES, type Message, MessageSchema } from "./message.ts";
import {
  isReasoningConflict,
  NativeThinkingSchema,
  ReasoningControlSchema,
  ReasoningEffortParamSchema,
  type ResolvedReasoning,
  resolveReasoning,
} from "./reasoning-control.ts";
import { ResponseFormatSchema, type StructuredOutput, structuredOutputOf } from "./response-format.ts";
import { type Tool, type ToolChoice, ToolChoiceSchema, ToolSchema } from "./tools.ts";

export const MAX_OUTPUT_TOKENS_LIMIT = 1_000_000;
const DECIMAL_STRING = /^(0|[1-9]\d{0,9})(\.\d{1,12})?$/;

export const MetadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, { message: "at most 16 metadata keys" })
  .meta({ id: "Metadata" });

/** A non-negative USD amount, as a decimal string ("25.00") or a JSON number. */
export const UsdAmountSchema = z
  .union([z.string(), z.number().nonnegative().finite()])
  .transform((v) => (typeof v === "number" ? String(v) : v))
  .refine((v) => DECIMAL_STRING.test(v), { message: 'must be a non-negative decimal amount such as "2.50"' });

/**
 * How a job reaches its provider: `interactive` (one streamed call) or `provider_batch`
 * (gathered with others into the provider's batch API, at its batch price, results later).
 */
export const LaneSchema = z.enum(["interactive", "provider_batch"]).meta({ id: "Lane" });
export type Lane = z.infer<typeof LaneSchema>;

/** Where a job's (or batch's) end is POSTed; checked against SSRF at submit. */
export const WebhookUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);

/** The body of POST /v1/jobs. Unknown fields are refused, not dropped. */
export const JobRequestSchema = z
  .strictObject({
    model: z.string().min(1).max(200),
    messages: z.array(MessageSchema).min(1).max(MAX_MESSAGES).optional(),
    prompt: z.string().min(1).max(MAX_MESSAGE_CHARS).optional(),
    system: z.string().max(MAX_MESSAGE_CHARS).optional(),
    reasoning: ReasoningControlSchema.optional(),
    reasoning_effort: ReasoningEffortParamSchema.optional(),
    thinking: NativeThinkingSchema.optional(),
    return_reasoning: z.boolean().optional(),
    max_output_tokens: z.number().int().min(1).max(MAX_OUTPUT_TOKENS_LIMIT).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    top_k: z.number().int().min(1).max(1000).optional(),
    stop: z.array(z.string().min(1).max(256)).max(16).optional(),
    seed: z.number().int().optional(),
    tools: z.array(ToolSchema).max(128).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    /** Structured output: the answer is JSON (matching the schema, when one is given). */
    response_format: ResponseFormatSchema.optional(),
    max_cost_usd: UsdAmountSchema.optional(),
    webhook_url: WebhookUrlSchema.optional(),
    metadata: MetadataSchema.optional(),
    lane: LaneSchema.optional(),
  })
  .meta({ id: "JobRequest" });
export type JobRequest = z.input<typeof JobRequestSchema>;
export type ParsedJobRequest = z.output<typeof JobRequestSchema>;

export interface SamplingParams {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
  seed?: number;
}

/** A request in the one form the rest of reasonq works with; stored on the job row. */
export interface JobSpec {
  model: string;
  messages: Message[];
  reasoning: ResolvedReasoning;
  max_output_tokens?: number;
  sampling: SamplingParams;
  /** Function tools the model may call (OpenAI's format); absent without tools. */
  tools?: Tool[];
  tool_choice?: ToolChoice;
  /** Absent for plain text. */
  response_format?: StructuredOutput;
  max_cost_usd?: string;
  webhook_url?: string;
  metadata: Record<string, string>;
  /** Absent means `interactive`. */
  lane?: Lane;
  /**
   * Standard fields an OpenAI-compatible client sent that do not change the answer
   * (`store`, `service_tier`, `prompt_cache_key`, …), recorded as sent.
   */
  client_params?: Record<string, unknown>;
}

export interface SpecProblem {
  field: string;
  message: string;
}

/** Rules that span fields (the schema checks each field alone). */
export function toJobSpec(req: ParsedJobRequest): JobSpec | SpecProblem {
  if ((req.messages === undefined) === (req.prompt === undefined)) {
    return { field: "messages", message: "give exactly one of messages or prompt" };
  }
  const reasoning = resolveReasoning(req);
  if (isReasoningConflict(reasoning)) return reasoning;

  const messages: Message[] = [];
  if (req.system !== undefined) messages.push({ role: "system", content: req.system });
  if (req.prompt !== undefined) messages.push({ role: "user", content: req.prompt });
  for (const m of req.messages ?? []) messages.push(flattenMessage(m));
  if (!messages.some((m) => m.role === "user")) {
    return { field: "messages", message: "at least one user message is required" };
  }
  const toolProblem = checkToolTurns(messages, req.tools, req.tool_choice);
  if (toolProblem !== null) return toolProblem;

  const sampling: SamplingParams = {};
  if (req.temperature !== undefined) sampling.temperature = req.temperature;
  if (req.top_p !== undefined) sampling.top_p = req.top_p;
  if (req.top_k !== undefined) sampling.top_k = req.top_k;
  if (req.stop !== undefined) sampling.stop = req.stop;
  if (req.seed !== undefined) sampling.seed = req.seed;

  const spec: JobSpec = { model: req.model, messages, reasoning, sampling, metadata: req.metadata ?? {} };
  if (req.max_output_tokens !== undefined) spec.max_output_tokens = req.max_output_tokens;
  if (req.tools !== undefined && req.tools.length > 0) spec.tools = req.tools;
  if (req.tool_choice !== undefined) spec.tool_choice = req.tool_choice;
  const format = structuredOutputOf(req.response_format);
  if (format !== undefined) spec.response_format = format;
  if (req.max_cost_usd !== undefined) spec.max_cost_usd = req.max_cost_usd;
  if (req.webhook_url !== undefined) spec.webhook_url = req.webhook_url;
  if (req.lane === "provider_batch") spec.lane = req.lane;
  return spec;
}

export function isSpecProblem(value: JobSpec | SpecProblem): value is SpecProblem {
  return "message" in value;
}

/**
 * Every tool message answers a call of the assistant turn before it, and tool_choice names
 * only a tool that was given: the rules every provider enforces, checked once here.
 */
function checkToolTurns(messages: Message[], tools: Tool[] | undefined, choice: ToolChoice | undefined) {
  if (choice !== undefined && choice !== "none" && choice !== "auto" && (tools === undefined || tools.length === 0)) {
    return { field: "tool_choice", message: "tool_choice asks for a tool call but no tools were given" };
  }
  if (typeof choice === "object" && !(tools ?? []).some((t) => t.function.name === choice.function.name)) {
    return { field: "tool_choice", message: `tool_choice names ${choice.function.name}, which is not in tools` };
  }
  let open = new Map<string, string>();
  for (const [index, message] of messages.entries()) {
    if (message.role === "assistant") open = new Map((message.tool_calls ?? []).map((c) => [c.id, c.function.name]));
    if (message.role !== "tool") continue;
    const called = open.get(message.tool_call_id ?? "");
    if (called === undefined) {
      return {
        field: `messages.${index}.tool_call_id`,
        message: `tool_call_id ${message.tool_call_id} does not answer a tool call of the assistant message before it`,
      };
    }
    if (message.tool_name !== undefined && message.tool_name !== called) {
      return {
        field: `messages.${index}.name`,
        message: `name ${message.tool_name} is not the function of call ${message.tool_call_id} (${called})`,
      };
    }
  }
  return null;
}
