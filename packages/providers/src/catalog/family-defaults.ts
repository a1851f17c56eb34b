import type { ModelInfo } from "../adapter.ts";

const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * The catalog model whose traits a model of a known family runs with when the catalog does
 * not list it (a dated snapshot, or a model newer than the catalog): the same name without
 * its date when the catalog has it, else the family's default.
 *
 * | family    | default                                                                          |
 * | --------- | -------------------------------------------------------------------------------- |
 * | anthropic | claude-sonnet-4-20250514: manual thinking with a budget, which Claude 4.x takes  |
 * | google    | gemini-3.8-flash / gemini-3.1-pro-preview for Gemini 3 (levels), else gemini-2.5-flash / -pro (budgets) |
 * | openai    | gpt-5                                                                            |
 * | deepseek  | deepseek-v4-flash                                                                |
 */
export function familyTemplate(provider: string, model: string, byId: ReadonlyMap<string, ModelInfo>) {
  const undated = byId.get(`${provider}/${model.replace(DATE_SUFFIX, "")}`);
  if (undated !== undefined && undated.retired === undefined) return undated;
  const flash = model.includes("flash");
  const defaults: Record<string, string> = {
    anthropic: "anthropic/claude-sonnet-4-20250514",
    google: model.includes("gemini-3")
      ? flash
        ? "google/gemini-3.8-flash"
        : "google/gemini-3.1-pro-preview"
      : flash
        ? "google/gemini-2.5-flash"
        : "google/gemini-2.5-pro",
    openai: "openai/gpt-5",
    deepseek: "deepseek/deepseek-v4-flash",
  };
  const id = defaults[provider];
  return id === undefined ? undefined : byId.get(id);
}

/** A catalog entry for `provider/model` that borrows the template's traits and limits. */
export function fromTemplate(provider: string, model: string, template: ModelInfo): ModelInfo {
  const { retired: _retired, ...rest } = template;
  return { ...rest, id: `${provider}/${model}`, model, aliases: [], traits_of: template.traits_of ?? template.model };
}
