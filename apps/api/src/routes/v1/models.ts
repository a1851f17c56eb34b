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

/** The catalog, in a list shape that the OpenAI SDKs' model listing also reads. */
export const modelRoutes: FastifyPluginAsyncZod<{ catalog: Catalog; prices: PriceCatalog }> = async (
  app,
  { catalog, prices },
) => {
  app.get(
    "/models",
    {
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
};
