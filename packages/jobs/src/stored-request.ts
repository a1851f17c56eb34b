import type { AdapterRegistry, Catalog, ModelInfo, PreparedRequest } from "@reasonq/providers";
import type { JobRow } from "@reasonq/store";

/**
 * The provider request planned for a job, as stored with it: what the worker sends, so a
 * catalog or adapter change after submit cannot change what a queued job runs. A row
 * planned before requests were stored (migration 0005) is prepared from its spec once
 * more, as it was then.
 */
export function requestToSend(job: JobRow, deps: { catalog: Catalog; adapters: AdapterRegistry }): PreparedRequest {
  const stored = job.prepared_request;
  if (stored === null) {
    const model = deps.catalog.resolve(job.model).model;
    return deps.adapters.get(job.provider).prepare(job.spec, model);
  }
  return {
    // Written by planJob from a catalog ModelInfo: the cast reads back our own shape.
    model: stored.model as unknown as ModelInfo,
    resolvedParams: job.resolved_params ?? {},
    warnings: job.warnings,
    body: stored.body,
  };
}
