import type { CatalogModel } from "../client.ts";
import { formatTable } from "../table.ts";
import { type ClientEnv, clientFrom } from "./client-commands.ts";

const price = (value: string | undefined) => (value === undefined ? "–" : `$${value}`);

/** How a model's reasoning is asked for, as the catalog says. */
function reasoningControl(model: CatalogModel): string {
  if (!model.reasoning.supported) return "none";
  const parts = [model.reasoning.field ?? "always on", model.reasoning.kind];
  if (model.reasoning.can_disable) parts.push("can disable");
  return parts.join(", ");
}

/** `reasonq models`: the catalog from `GET /v1/models`, one line per model. */
export function modelsTable(models: CatalogModel[]): string {
  const rows = models.map((m) => {
    const p = m.pricing?.unit_prices_per_million;
    return [
      m.retired === null ? m.id : `${m.id} (retired)`,
      reasoningControl(m),
      price(p?.input),
      price(p?.cached_input),
      price(p?.output),
      String(m.context_window),
      m.pricing?.price_source ?? "no public price",
    ];
  });
  return formatTable(
    ["model", "reasoning (control, returned)", "input/M", "cached/M", "output/M", "context", "price source"],
    rows,
  );
}

export async function models(env: ClientEnv, options: { json?: boolean }, out: (line: string) => void) {
  const list = await clientFrom(env).models();
  out(options.json ? JSON.stringify(list, null, 2) : modelsTable(list.data));
}
