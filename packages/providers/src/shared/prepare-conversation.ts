import { type JobSpec, type Message, ReasonqError, type ThinkingBlock, type Warning } from "@reasonq/core";
import type { ModelInfo, PreparedRequest, ProviderAdapter } from "../adapter.ts";

/**
 * The conversation rules every family shares, applied before its own `prepare`:
 * - kept blocks go back only to the provider that made them: another provider's blocks are
 *   dropped, with a warning, never sent;
 * - images need a model that reads them;
 * - `reasoning_effort: "none"` on a model that always thinks runs at the lowest effort,
 *   with a warning, rather than being refused.
 */
export function prepareConversation(adapter: ProviderAdapter, spec: JobSpec, model: ModelInfo): PreparedRequest {
  const warnings: Warning[] = [];
  const messages = spec.messages.map((message, index) => keepOwnBlocks(message, index, model, warnings));
  checkImages(messages, model);
  let reasoning = spec.reasoning;
  if (reasoning.off_by_effort === true && !model.reasoning.can_disable && model.reasoning.supported) {
    reasoning = { ...reasoning, enabled: true, effort: "minimal" };
    delete reasoning.off_by_effort;
    warnings.push({
      type: "adapted",
      field: "reasoning_effort",
      message: `${model.id} cannot turn thinking off; reasoning_effort "none" ran at the lowest effort`,
    });
  }
  const prepared = adapter.prepare({ ...spec, messages, reasoning }, model);
  return warnings.length === 0 ? prepared : { ...prepared, warnings: [...warnings, ...prepared.warnings] };
}

/** Blocks without a `provider` predate it and were all Anthropic's. */
export function blockProvider(block: ThinkingBlock): string {
  return typeof block.provider === "string" ? block.provider : "anthropic";
}

function keepOwnBlocks(message: Message, index: number, model: ModelInfo, warnings: Warning[]): Message {
  const blocks = message.thinking_blocks;
  if (blocks === undefined) return message;
  const own = blocks.filter((b) => blockProvider(b) === model.provider);
  if (own.length < blocks.length) {
    const from = [...new Set(blocks.filter((b) => blockProvider(b) !== model.provider).map(blockProvider))];
    warnings.push({
      type: "adapted",
      field: `messages.${index}.thinking_blocks`,
      message: `${blocks.length - own.length} thinking block(s) from ${from.join(", ")} were dropped: they go back only to the provider that made them, not ${model.provider}`,
    });
  }
  const out: Message = { ...message };
  if (own.length > 0) out.thinking_blocks = own;
  else delete out.thinking_blocks;
  return out;
}

function checkImages(messages: readonly Message[], model: ModelInfo): void {
  if (model.images !== true) {
    const index = messages.findIndex((m) => m.parts?.some((p) => p.type === "image"));
    if (index < 0) return;
    throw new ReasonqError("unsupported_parameter", `model ${model.id} does not take image input`, {
      field: `messages.${index}.content`,
    });
  }
  const types = model.image_media_types;
  if (types === undefined) return;
  for (const [i, message] of messages.entries()) {
    for (const [j, part] of (message.parts ?? []).entries()) {
      const type = part.type === "image" ? part.image.data?.media_type : undefined;
      if (type === undefined || types.includes(type)) continue;
      throw new ReasonqError(
        "unsupported_parameter",
        `model ${model.id} reads ${types.join(" and ")} images, not ${type}`,
        { field: `messages.${i}.content.${j}.image_url.url` },
      );
    }
  }
}

/** A kept block as its provider sent it: reasonq's `provider` tag taken off. */
export function providerBlock(block: ThinkingBlock): Record<string, unknown> {
  const { provider: _provider, ...rest } = block;
  return rest;
}
