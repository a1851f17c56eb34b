import { newId } from "@reasonq/core";
import type { NewJob } from "../src/repositories/jobs-repository.ts";

/** A plain sim job for the store's tests, with whatever they need changed. */
export function sampleJob(apiKeyId: string, extra: Partial<NewJob> = {}): NewJob {
  return {
    id: newId("job"),
    api_key_id: apiKeyId,
    model: "sim/reasoner",
    provider: "sim",
    spec: {
      model: "sim/reasoner",
      messages: [{ role: "user", content: "What is 2+2?" }],
      reasoning: { include: true, enabled: true },
      sampling: {},
      metadata: {},
    },
    resolved_params: { effort: "medium" },
    prepared_request: { model: {}, body: {} },
    metadata: { ticket: "A-1" },
    warnings: [],
    ...extra,
  };
}
