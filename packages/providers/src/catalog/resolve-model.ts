import { parseModelRef, ReasonqError, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { familyTemplate, fromTemplate } from "./family-defaults.ts";
import { MODELS } from "./models.ts";

export interface ResolvedModel {
  model: ModelInfo;
  warnings: Warning[];
}

export interface Catalog {
  list(): readonly ModelInfo[];
  /** `provider/model` or a bare alias → the catalog entry; retired names follow their replacement. */
  resolve(name: string): ResolvedModel;
}

/**
 * Bare names resolve through `aliases` only, never through the `model` field, so a generic
 * provider-side name (`reasoner`) cannot capture a bare lookup by accident: each entry
 * says which bare names it answers to.
 */
export interface CatalogOptions {
  /**
   * Whether the price data knows a model id. With it, a `provider/model` name the catalog
   * lacks but the price data knows (a dated snapshot such as claude-sonnet-4-5-20250929, or a
   * newer model) runs on its family's defaults, with a warning, instead of unknown_model.
   */
  priced?: (modelId: string) => boolean;
}

export function createCatalog(entries: readonly ModelInfo[], options: CatalogOptions = {}): Catalog {
  const byId = new Map<string, ModelInfo>();
  const byAlias = new Map<string, ModelInfo>();
  for (const entry of entries) {
    if (byId.has(entry.id)) throw new Error(`duplicate catalog id ${entry.id}`);
    byId.set(entry.id, entry);
  }
  for (const entry of entries) {
    for (const alias of entry.aliases) {
      const taken = byAlias.get(alias) ?? byId.get(alias);
      if (taken !== undefined) throw new Error(`alias ${alias} of ${entry.id} is already taken by ${taken.id}`);
      byAlias.set(alias, entry);
    }
  }

  const unknown = (name: string) =>
    new ReasonqError("unknown_model", `unknown model "${name}"; GET /v1/models lists the catalog`, { field: "model" });

  return {
    list: () => entries,
    resolve(name) {
      const trimmed = name.trim();
      const ref = parseModelRef(trimmed);
      let model = ref === null ? byAlias.get(trimmed) : byId.get(trimmed);
      const warnings: Warning[] = [];
      if (model === undefined && ref !== null && options.priced?.(trimmed) === true) {
        const template = familyTemplate(ref.provider, ref.model, byId);
        if (template !== undefined) {
          model = fromTemplate(ref.provider, ref.model, template);
          warnings.push({
            type: "adapted",
            field: "model",
            message: `${trimmed} is not in reasonq's catalog; it runs with the limits and reasoning rules of ${template.id}, and is priced from the price data`,
          });
        }
      }
      if (model === undefined) throw unknown(name);

      const seen = new Set<string>();
      while (model.retired !== undefined) {
        if (seen.has(model.id)) throw new Error(`retirement cycle at ${model.id}`);
        seen.add(model.id);
        const { since, replacement } = model.retired;
        const next = byId.get(replacement);
        if (next === undefined)
          throw new Error(`${model.id} is retired in favour of ${replacement}, which is not in the catalog`);
        warnings.push({
          type: "deprecated",
          field: "model",
          message: `${model.id} was retired on ${since}; ${next.id} runs instead`,
        });
        model = next;
      }
      return { model, warnings };
    },
  };
}

export const catalog: Catalog = createCatalog(MODELS);

export function resolveModel(name: string): ResolvedModel {
  return catalog.resolve(name);
}
