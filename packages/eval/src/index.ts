export {
  Aggregator,
  type AggregatorOptions,
  aggregate,
  COST_RATIO_DECIMALS,
  type OutcomeMix,
  type VariantSummary,
} from "./aggregate/aggregator.ts";
export { compareVariants, type PairedComparison, pairedComparison } from "./aggregate/compare.ts";
export { gradeOf, RESULT_STATUSES, type ResultRow, ResultRowSchema } from "./aggregate/result-row.ts";
export type { RowRef } from "./aggregate/top-rows.ts";
export {
  choiceIndex,
  type DatasetError,
  type DatasetItem,
  type DatasetItemInput,
  DatasetItemSchema,
  type Expected,
  MAX_CHOICES,
  MAX_ITEM_ID_CHARS,
} from "./dataset/dataset-item.ts";
export { DEFAULT_MAX_ERRORS, type ParseDatasetOptions } from "./dataset/item-collector.ts";
export { formatChoices, itemPrompt, itemPromptText } from "./dataset/item-prompt.ts";
export { datasetFormatOf, loadDatasetFile } from "./dataset/load-dataset-file.ts";
export {
  type DatasetFormat,
  DatasetStream,
  type ParsedDataset,
  parseDataset,
  parseDatasetLines,
} from "./dataset/parse-dataset.ts";
export {
  cellCount,
  compareSettings,
  expandVariants,
  type GridCell,
  type GridSpec,
  GridSpecSchema,
  gridCells,
  gridCellsAsync,
  MAX_REPEATS,
  type ReasoningSetting,
  settingLabel,
  type Variant,
  type VariantGrid,
  type VariantSpec,
  VariantSpecSchema,
  variantsFrom,
} from "./grid.ts";
export { type ChartData, chartData } from "./report/chart-data.ts";
export { renderReport } from "./report/render-report.ts";
export type { ReportBatch, ReportInput, ReportItem } from "./report/report-input.ts";
export { CHART_JS_VERSION } from "./report/vendor/chart-js.generated.ts";
export { extractChoice, scoreChoice } from "./scorers/choice.ts";
export { scoreExact } from "./scorers/exact.ts";
export { scoreIncludes } from "./scorers/includes.ts";
export { extractJson } from "./scorers/json-schema.ts";
export { buildJudgeRequest, parseJudgeVerdict } from "./scorers/judge.ts";
export { normalizeAnswer } from "./scorers/normalize.ts";
export { extractFinalNumber, extractNumbers, scoreNumeric } from "./scorers/numeric.ts";
export {
  type AnswerScorer,
  createScorer,
  type JudgeScorer,
  SCORER_TYPES,
  type Scorer,
  type ScorerConfig,
  type ScorerConfigInput,
  ScorerConfigSchema,
  type ScorerType,
} from "./scorers/registry.ts";
export { suggestScorer } from "./scorers/suggest-scorer.ts";
export type { ScorableItem, ScoreResult } from "./scorers/types.ts";
export { type BootstrapResult, pairedBootstrap } from "./stats/bootstrap.ts";
export { majorityVote, type Vote } from "./stats/majority-vote.ts";
export { MCNEMAR_EXACT_BELOW, type McNemarResult, mcnemar, mcnemarFromCounts } from "./stats/mcnemar.ts";
export { type CostAccuracyPoint, paretoFrontier } from "./stats/pareto.ts";
export { meanPassAtK, passAtK } from "./stats/pass-at-k.ts";
export { seededRandom } from "./stats/prng.ts";
export { type Distribution, describe, quantile, quantileSorted } from "./stats/quantile.ts";
export { type Interval, wilsonInterval } from "./stats/wilson.ts";
