import type { ContentPart, Tool, ToolCall } from "@reasonq/core";

/**
 * The tokens one image costs as input, per family, as each provider documents its image
 * accounting. Providers resize large images before counting, so these are the most one
 * image costs (except Gemini 2.x, which tiles a very large image past it):
 *
 * | family    | tokens | why                                                                         |
 * | --------- | ------ | --------------------------------------------------------------------------- |
 * | openai    | 2,642  | o4-mini: at most 1,536 patches of 32 px × 1.72; tiled models (GPT-5, o3) stay under 1,445 (85 + 170 per 512 px tile, 8 tiles) |
 * | anthropic | 1,600  | images are scaled to about 1.15 megapixels; tokens ≈ width × height / 750   |
 * | google    | 1,120  | Gemini 3 `media_resolution_high`, the default for images; Gemini 2.x: 258 per 768 px tile |
 * | xai       | 1,792  | at most 6 tiles of 448 px plus one, 256 tokens each                         |
 * | others    | 2,642  | the largest of the above (OpenRouter, self-hosted servers)                  |
 */
export const IMAGE_INPUT_TOKENS: Readonly<Record<string, number>> = {
  openai: 2_642,
  anthropic: 1_600,
  google: 1_120,
  xai: 1_792,
};
export const DEFAULT_IMAGE_INPUT_TOKENS = 2_642;

/**
 * The system prompt a provider adds when a request has tools, on top of their definitions:
 * Anthropic documents 346 tokens for Claude 4 models (`auto`/`none`; 313 for forced choice).
 */
export const TOOL_SYSTEM_PROMPT_TOKENS: Readonly<Record<string, number>> = { anthropic: 346 };

/** The parts of a prompt that are not its message text: images, tool definitions, earlier tool calls. */
interface PromptExtras {
  images: number;
  /** Text the tokenizer counts: each tool's definition and each earlier call, as JSON. */
  text: string[];
  /** Tokens added as they are (per-image counts and the tool system prompt). */
  fixedTokens: number;
}

export interface ExtrasMessage {
  parts?: readonly ContentPart[];
  tool_calls?: readonly ToolCall[];
}

export function promptExtras(
  family: string,
  messages: ReadonlyArray<ExtrasMessage>,
  tools: readonly Tool[] | undefined,
): PromptExtras {
  let images = 0;
  const text: string[] = [];
  for (const message of messages) {
    images += (message.parts ?? []).filter((part) => part.type === "image").length;
    for (const call of message.tool_calls ?? []) text.push(call.function.name, call.function.arguments);
  }
  for (const tool of tools ?? []) text.push(JSON.stringify(tool.function));
  const perImage = IMAGE_INPUT_TOKENS[family] ?? DEFAULT_IMAGE_INPUT_TOKENS;
  const toolPrompt = (tools ?? []).length > 0 ? (TOOL_SYSTEM_PROMPT_TOKENS[family] ?? 0) : 0;
  return { images, text, fixedTokens: images * perImage + toolPrompt };
}
