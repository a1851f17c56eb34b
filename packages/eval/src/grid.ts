import {
  REASONING_EFFORTS,
  type ReasoningControl,
  ReasoningControlSchema,
  type ReasoningEffort,
  ReasoningEffortSchema,
  ReasonqError,
} from "@reasonq/core";
import { z } from "zod";
import { formatPath } from "./dataset/dataset-item.ts";

/** Most repeats per (item, variant): pass@k beyond this tells nothing new and multiplies cost. */
export const MAX_REPEATS = 100;

/** The reasoning setting of a variant, as the "accuracy by reasoning budget" chart orders it. */
export type ReasoningSetting =
  | { kind: "default" }
  | { kind: "off" }
  | { kind: "effort"; effort: ReasoningEffort }
  | { kind: "budget"; budget_tokens: number };

export interface Variant {
  /** Stable and readable: `sim/reasoner@effort=high`, `o3-mini@budget=4000`, `sim/hasty@default`. */
  id: string;
  /** For people: `sim/reasoner · effort=high`. */
  label: string;
  model: string;
  /** The `reasoning` of each job of this variant; null leaves the model's default. */
  reasoning: ReasoningControl | null;
  setting: ReasoningSetting;
}

export const VariantSpecSchema = z.strictObject({
  model: z.string().min(1).max(200),
  reasoning: ReasoningControlSchema.optional(),
  label: z.string().min(1).max(120).optional(),
});
export type VariantSpec = z.infer<typeof VariantSpecSchema>;

/** The CLI's grid: every model at every effort and every budget. */
export const GridSpecSchema = z.strictObject({
  models: z.array(z.string().min(1).max(200)).min(1).max(50),
  efforts: z.array(ReasoningEffortSchema).max(REASONING_EFFORTS.length).optional(),
  budgets: z.array(z.number().int().min(0)).max(20).optional(),
  repeats: z.number().int().min(1).max(MAX_REPEATS).default(1),
});
export type GridSpec = z.input<typeof GridSpecSchema>;

export interface VariantGrid {
  variants: Variant[];
  repeats: number;
}

/**
 * models × (efforts ∪ budgets) — a model with neither gets one variant at its default
 * reasoning. Duplicates in any list are refused (`invalid_request` naming the field).
 */
export function expandVariants(spec: GridSpec): VariantGrid {
  const parsed = GridSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReasonqError("invalid_request", issue?.message ?? "invalid grid", {
      field: formatPath(issue?.path ?? []) ?? undefined,
    });
  }
  const { models, efforts = [], budgets = [], repeats } = parsed.data;
  refuseDuplicates("models", models);
  refuseDuplicates("efforts", efforts);
  refuseDuplicates("budgets", budgets);
  const settings: Array<ReasoningControl | undefined> = [
    ...efforts.map((effort) => ({ effort })),
    ...budgets.map((budget_tokens) => ({ budget_tokens })),
  ];
  if (settings.length === 0) settings.push(undefined);
  const specs = models.flatMap((model) =>
    settings.map((reasoning): VariantSpec => (reasoning === undefined ? { model } : { model, reasoning })),
  );
  return { variants: variantsFrom(specs), repeats };
}

/** The API's explicit `variants` list; two variants with the same id are refused. */
export function variantsFrom(specs: readonly VariantSpec[]): Variant[] {
  const seen = new Set<string>();
  return specs.map((spec, i) => {
    const setting = settingOf(spec.reasoning);
    const suffix = settingText(setting, spec.reasoning);
    const id = `${spec.model}@${suffix}`;
    if (seen.has(id)) {
      throw new ReasonqError("invalid_request", `variant ${i} repeats ${id}`, { field: `variants[${i}]` });
    }
    seen.add(id);
    const label = spec.label ?? (setting.kind === "default" ? spec.model : `${spec.model} · ${suffix}`);
    return { id, label, model: spec.model, reasoning: spec.reasoning ?? null, setting };
  });
}

function settingOf(reasoning: ReasoningControl | undefined): ReasoningSetting {
  if (reasoning?.enabled === false) return { kind: "off" };
  if (reasoning?.effort !== undefined) return { kind: "effort", effort: reasoning.effort };
  if (reasoning?.budget_tokens !== undefined) return { kind: "budget", budget_tokens: reasoning.budget_tokens };
  return { kind: "default" };
}

function settingText(setting: ReasoningSetting, reasoning: ReasoningControl | undefined): string {
  const base =
    setting.kind === "effort"
      ? `effort=${setting.effort}`
      : setting.kind === "budget"
        ? `budget=${setting.budget_tokens}`
        : setting.kind;
  return reasoning?.include === false ? `${base},no-reasoning-text` : base;
}

/** Sorts settings for an x axis: off, default, efforts from minimal to max, then budgets ascending. */
export function compareSettings(a: ReasoningSetting, b: ReasoningSetting): number {
  const rank = (s: ReasoningSetting) =>
    s.kind === "off"
      ? -2
      : s.kind === "default"
        ? -1
        : s.kind === "effort"
          ? REASONING_EFFORTS.indexOf(s.effort)
          : REASONING_EFFORTS.length + s.budget_tokens;
  return rank(a) - rank(b);
}

export function settingLabel(setting: ReasoningSetting): string {
  switch (setting.kind) {
    case "effort":
      return setting.effort;
    case "budget":
      return `${setting.budget_tokens} tokens`;
    case "off":
      return "thinking off";
    case "default":
      return "default";
  }
}

function refuseDuplicates(field: string, values: readonly (string | number)[]): void {
  const seen = new Set<string | number>();
  values.forEach((value, i) => {
    if (seen.has(value))
      throw new ReasonqError("invalid_request", `${field} lists ${value} twice`, { field: `${field}[${i}]` });
    seen.add(value);
  });
}

/** One job of a batch evaluation. `repeat` counts from 0. */
export interface GridCell<T> {
  item: T;
  variant: Variant;
  repeat: number;
}

export const cellCount = (items: number, grid: VariantGrid): number => items * grid.variants.length * grid.repeats;

/**
 * Every (item, variant, repeat), item-major, produced lazily: 100,000 items × variants
 * never sit in memory as cells, and all variants advance together, so a batch stopped by
 * its cost cap still compares variants on the same items.
 */
export function* gridCells<T>(items: Iterable<T>, grid: VariantGrid): Generator<GridCell<T>> {
  for (const item of items) {
    for (let repeat = 0; repeat < grid.repeats; repeat++) {
      for (const variant of grid.variants) yield { item, variant, repeat };
    }
  }
}

/** `gridCells` over an async source of items (a `DatasetStream`, a database cursor). */
export async function* gridCellsAsync<T>(items: AsyncIterable<T>, grid: VariantGrid): AsyncGenerator<GridCell<T>> {
  for await (const item of items) yield* gridCells([item], grid);
}
