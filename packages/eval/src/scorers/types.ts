import type { DatasetItem } from "../dataset/dataset-item.ts";

/**
 * One scored answer. `correct` is null when the item cannot be judged (no `expected`, or an
 * `expected` this scorer cannot use); `score` is in [0, 1] (1/0 for pass/fail scorers);
 * `extracted` is what the scorer read from the answer (the final number, the option
 * letter, the regex capture), stored with the result and used by majority vote.
 */
export interface ScoreResult {
  correct: boolean | null;
  score: number;
  extracted: string | null;
  detail?: string;
}

/** What a synchronous scorer reads of an item. */
export type ScorableItem = Pick<DatasetItem, "expected" | "choices">;

export const unscorable = (extracted: string | null, detail: string): ScoreResult => ({
  correct: null,
  score: 0,
  extracted,
  detail,
});

export const verdict = (correct: boolean, extracted: string | null, detail?: string): ScoreResult => ({
  correct,
  score: correct ? 1 : 0,
  extracted,
  ...(detail === undefined ? {} : { detail }),
});
