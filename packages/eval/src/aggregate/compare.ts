import { type BootstrapResult, pairedBootstrap } from "../stats/bootstrap.ts";
import { type McNemarResult, mcnemar } from "../stats/mcnemar.ts";
import { gradeOf, type ResultRow } from "./result-row.ts";

export interface PairedComparison {
  a: string;
  b: string;
  /** Cells (item, repeat) graded for both variants. */
  pairs: number;
  both: number;
  only_a: number;
  only_b: number;
  neither: number;
  accuracy_a: number | null;
  accuracy_b: number | null;
  /** accuracy_b − accuracy_a on the paired cells. */
  difference: number | null;
  mcnemar: McNemarResult;
  /** 95% paired-bootstrap interval of `difference` (2,000 resamples, seeded). */
  bootstrap: BootstrapResult;
}

/** McNemar and a paired bootstrap over `[a right, b right]` pairs. */
export function pairedComparison(
  a: string,
  b: string,
  pairs: Iterable<readonly [boolean, boolean]>,
  options: { bootstrapSeed?: number } = {},
): PairedComparison {
  const list = [...pairs];
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  let neither = 0;
  for (const [x, y] of list) {
    if (x && y) both++;
    else if (x) onlyA++;
    else if (y) onlyB++;
    else neither++;
  }
  const n = list.length;
  return {
    a,
    b,
    pairs: n,
    both,
    only_a: onlyA,
    only_b: onlyB,
    neither,
    accuracy_a: n === 0 ? null : (both + onlyA) / n,
    accuracy_b: n === 0 ? null : (both + onlyB) / n,
    difference: n === 0 ? null : (onlyB - onlyA) / n,
    mcnemar: mcnemar(list),
    bootstrap: pairedBootstrap(list, { seed: options.bootstrapSeed ?? 1 }),
  };
}

/**
 * Compares two variants from result rows (any order, other variants ignored): cells are
 * paired by (item, repeat), and only cells graded for both count.
 */
export function compareVariants(
  rows: Iterable<ResultRow>,
  a: string,
  b: string,
  options: { bootstrapSeed?: number } = {},
): PairedComparison {
  const gradesA = new Map<string, boolean>();
  const gradesB = new Map<string, boolean>();
  for (const row of rows) {
    const target = row.variant_id === a ? gradesA : row.variant_id === b ? gradesB : null;
    if (target === null) continue;
    const grade = gradeOf(row);
    if (grade !== null) target.set(`${row.item_id}\u0000${row.repeat}`, grade);
  }
  const pairs: Array<[boolean, boolean]> = [];
  for (const [key, x] of gradesA) {
    const y = gradesB.get(key);
    if (y !== undefined) pairs.push([x, y]);
  }
  return pairedComparison(a, b, pairs, options);
}
