import { z } from "zod";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** A function tool in OpenAI's format; `parameters` is a JSON Schema object. */
export const ToolSchema = z
  .strictObject({
    type: z.literal("function"),
    function: z.strictObject({
      name: z.string().regex(TOOL_NAME, { message: "a tool name is 1–64 letters, digits, _ or -" }),
      description: z.string().max(10_000).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  })
  .meta({ id: "Tool" });
export type Tool = z.infer<typeof ToolSchema>;

export const ToolChoiceSchema = z
  .union([
    z.enum(["auto", "none", "required"]),
    z.strictObject({ type: z.literal("function"), function: z.strictObject({ name: z.string().regex(TOOL_NAME) }) }),
  ])
  .meta({ id: "ToolChoice" });
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** A call the model made: `arguments` is the JSON text of the arguments, as OpenAI sends it. */
export const ToolCallSchema = z
  .strictObject({
    id: z.string().min(1).max(200),
    type: z.literal("function"),
    function: z.strictObject({ name: z.string().min(1).max(64), arguments: z.string().max(2_000_000) }),
  })
  .meta({ id: "ToolCall" });
export type ToolCall = z.infer<typeof ToolCallSchema>;
