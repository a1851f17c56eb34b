import type { PriceCatalog } from "@reasonq/billing";
import { ReasoningKindSchema, UnitPricesSchema } from "@reasonq/core";
import type { Catalog, ModelInfo } from "@reasonq/providers";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";

const ModelSchema = z
  .object({
    id: z.string(),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string(),
    provider: z.string(),
    aliases: z.array(z.string()),
    reasoning: z.object({
      supported: z.boolean(),
      field: z.string().nullable(),
      kind: ReasoningKindSchema,
      can_disable: z.boolean(),
    }),
    context_window: z.number().int(),
    max_output_tokens: z.number().int(),
    /** Whether the model takes image input (`image_url` parts). */
    images: z.boolean(),
    pricing: z
      .object({ currency: z.literal("USD"), unit_prices_per_million: UnitPricesSchema, price_source: z.string() })
      .nullable(),
    retired: z.object({ since: z.string(), replacement: z.string() }).nullable(),
  })
  .meta({ id: "Model" });

function pricing(prices: PriceCatalog, model: ModelInfo, at: Date) {
  try {
    return prices.snapshotFor(model.id, at);
  } catch {
    return null;
  }
}

function toModel(prices: PriceCatalog, model: ModelInfo, at: Date): z.infer<typeof ModelSchema> {
  return {
    id: model.id,
    object: "model",
    created: 0,
    owned_by: model.provider,
    provider: model.provider,
    aliases: model.aliases,
    reasoning: model.reasoning,
    context_window: model.context_window,
    max_output_tokens: model.max_output_tokens,
    images: model.images === true,
    pricing: pricing(prices, model, at),
    retired: model.retired ?? null,
  };
}

/**
 * A catalog id or a bare name, as listed (a retired model is itself, with `retired`); a
 * `provider/model` that the price data knows runs on its family's defaults, so it is one too.
 */
function findModel(catalog: Catalog, name: string): ModelInfo {
  return catalog.list().find((m) => m.id === name || m.aliases.includes(name)) ?? catalog.resolve(name).model;
}

/**
 * The catalog, in the list and model shapes that the OpenAI SDKs' `models.list()` and
 * `models.retrieve()` read; errors in OpenAI's shape (an unknown model is `404 model_not_found`).
 */
export const modelRoutes: FastifyPluginAsyncZod<{ catalog: Catalog; prices: PriceCatalog }> = async (
  app,
  { catalog, prices },
) => {
  app.get(
    "/models",
    {
      config: { openaiErrors: true },
      schema: {
        summary: "List the model catalog with reasoning support and prices",
        response: {
          200: z.object({
            object: z.literal("list"),
            data: z.array(ModelSchema),
            has_more: z.boolean(),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    async () => {
      const now = new Date();
      return {
        object: "list" as const,
        data: catalog.list().map((m) => toModel(prices, m, now)),
        has_more: false,
        next_cursor: null,
      };
    },
  );

  app.get(
    // A wildcard: catalog ids hold a slash (`sim/reasoner`), sent raw or as %2F by the SDK.
    "/models/*",
    {
      config: { openaiErrors: true },
      schema: {
        summary: "One model of the catalog (a catalog id or a bare name)",
        params: z.object({ "*": z.string().min(1).max(200) }),
        response: { 200: ModelSchema },
      },
    },
    async (request) => toModel(prices, findModel(catalog, request.params["*"]), new Date()),
  );
};
