import type { JobRequest } from "@reasonq/core";
import { z } from "zod";
import type { DatasetItem } from "../dataset/dataset-item.ts";
import { ChoiceConfigSchema, scoreChoice } from "./choice.ts";
import { ExactConfigSchema, scoreExact } from "./exact.ts";
import { IncludesConfigSchema, scoreIncludes } from "./includes.ts";
import { createJsonSchemaScorer, JsonSchemaConfigSchema } from "./json-schema.ts";
import { buildJudgeRequest, JudgeConfigSchema, parseJudgeVerdict } from "./judge.ts";
import { NumericConfigSchema, scoreNumeric } from "./numeric.ts";
import { createRegexScorer, RegexConfigSchema } from "./regex.ts";
import type { ScorableItem, ScoreResult } from "./types.ts";

/** The `scorer` of a batch (SPEC §6). Each type's options are validated here, patterns and schemas compiled. */
export const ScorerConfigSchema = z.discriminatedUnion("type", [
  ExactConfigSchema,
  IncludesConfigSchema,
  RegexConfigSchema,
  NumericConfigSchema,
  ChoiceConfigSchema,
  JsonSchemaConfigSchema,
  JudgeConfigSchema,
]);
export type ScorerConfig = z.output<typeof ScorerConfigSchema>;
export type ScorerConfigInput = z.input<typeof ScorerConfigSchema>;
export type ScorerType = ScorerConfig["type"];
export const SCORER_TYPES = ScorerConfigSchema.options.map((o) => o.shape.type.value) as ScorerType[];

/** Scores an answer in the worker, synchronously. */
export interface AnswerScorer {
  kind: "answer";
  config: Exclude<ScorerConfig, { type: "judge" }>;
  score(answer: string, item: ScorableItem): ScoreResult;
}

/** A model grades the answer: the worker runs `request` as its own job, then `verdict` on its reply. */
export interface JudgeScorer {
  kind: "judge";
  config: Extract<ScorerConfig, { type: "judge" }>;
  request(item: DatasetItem, answer: string): JobRequest;
  verdict(reply: string): ScoreResult;
}

export type Scorer = AnswerScorer | JudgeScorer;

/** Parses a scorer config (throws zod's error on a bad one) and builds its scorer. */
export function createScorer(input: ScorerConfigInput): Scorer {
  const config = ScorerConfigSchema.parse(input);
  switch (config.type) {
    case "exact":
      return { kind: "answer", config, score: (answer, item) => scoreExact(answer, item, config) };
    case "includes":
      return { kind: "answer", config, score: (answer, item) => scoreIncludes(answer, item, config) };
    case "regex":
      return { kind: "answer", config, score: createRegexScorer(config) };
    case "numeric":
      return { kind: "answer", config, score: (answer, item) => scoreNumeric(answer, item, config) };
    case "choice":
      return { kind: "answer", config, score: scoreChoice };
    case "json_schema": {
      const score = createJsonSchemaScorer(config);
      return { kind: "answer", config, score: (answer) => score(answer) };
    }
    case "judge":
      return {
        kind: "judge",
        config,
        request: (item, answer) => buildJudgeRequest(item, answer, config),
        verdict: (reply) => parseJudgeVerdict(reply, config.pass_threshold),
      };
  }
}
