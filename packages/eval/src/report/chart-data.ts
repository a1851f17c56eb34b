import type { VariantSummary } from "../aggregate/aggregator.ts";
import { compareSettings, settingLabel } from "../grid.ts";
import { paretoFrontier } from "../stats/pareto.ts";

/** What the in-page script draws; numbers are floats here because they are only plotted. */
export interface ChartData {
  variants: ChartVariant[];
  /** Variant ids on the cost–accuracy frontier, cheapest first. */
  frontier: string[];
  /** Reasoning settings in axis order (off, default, efforts, budgets). */
  settings: string[];
  models: Array<{ model: string; color: string }>;
}

export interface ChartVariant {
  id: string;
  label: string;
  model: string;
  setting: string;
  color: string;
  /** Percent. */
  accuracy: number | null;
  ci: [number, number] | null;
  /** Mean cost per result row, USD. */
  cost: number | null;
  box: { min: number; q1: number; median: number; q3: number; max: number; mean: number } | null;
  outcomes: { succeeded: number; truncated: number; refused: number; failed: number; cancelled: number };
}

/** Hues per model; within a model, more reasoning is darker. */
const HUES = [234, 158, 28, 350, 192, 270, 84, 320];

export function modelColors(variants: readonly VariantSummary[]): Map<string, number> {
  const hues = new Map<string, number>();
  for (const v of variants)
    if (!hues.has(v.variant.model)) hues.set(v.variant.model, HUES[hues.size % HUES.length] as number);
  return hues;
}

export function variantColors(variants: readonly VariantSummary[]): Map<string, string> {
  const hues = modelColors(variants);
  const colors = new Map<string, string>();
  for (const [model, hue] of hues) {
    const mine = variants
      .filter((v) => v.variant.model === model)
      .sort((a, b) => compareSettings(a.variant.setting, b.variant.setting));
    mine.forEach((v, i) => {
      const lightness = mine.length === 1 ? 48 : 62 - (24 * i) / (mine.length - 1);
      colors.set(v.variant.id, `hsl(${hue} 68% ${lightness.toFixed(0)}%)`);
    });
  }
  return colors;
}

export function chartData(variants: readonly VariantSummary[]): ChartData {
  const colors = variantColors(variants);
  const hues = modelColors(variants);
  const settings: string[] = [];
  for (const v of [...variants].sort((a, b) => compareSettings(a.variant.setting, b.variant.setting))) {
    const label = settingLabel(v.variant.setting);
    if (!settings.includes(label)) settings.push(label);
  }
  const frontier = paretoFrontier(
    variants.flatMap((v) =>
      v.accuracy === null || v.mean_cost === null
        ? []
        : [{ id: v.variant.id, cost: v.mean_cost, accuracy: v.accuracy }],
    ),
  );
  return {
    variants: variants.map((v): ChartVariant => {
      const t = v.reasoning_tokens;
      return {
        id: v.variant.id,
        label: v.variant.label,
        model: v.variant.model,
        setting: settingLabel(v.variant.setting),
        color: colors.get(v.variant.id) ?? "hsl(220 10% 50%)",
        accuracy: v.accuracy === null ? null : v.accuracy * 100,
        ci: v.accuracy_ci === null ? null : [v.accuracy_ci.low * 100, v.accuracy_ci.high * 100],
        cost: v.mean_cost === null ? null : Number(v.mean_cost),
        box: t === null ? null : { min: t.min, q1: t.q1, median: t.p50, q3: t.q3, max: t.max, mean: t.mean },
        outcomes: {
          succeeded: v.outcomes.succeeded,
          truncated: v.outcomes.truncated,
          refused: v.outcomes.refused,
          failed: v.outcomes.failed,
          cancelled: v.outcomes.cancelled,
        },
      };
    }),
    frontier,
    settings,
    models: [...hues].map(([model, hue]) => ({ model, color: `hsl(${hue} 68% 45%)` })),
  };
}
