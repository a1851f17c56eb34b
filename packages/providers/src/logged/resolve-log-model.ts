import { type LogRequest, ReasonqError, type Warning } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import type { Catalog } from "../catalog/resolve-model.ts";
import { str } from "./detect-log-format.ts";

/** Where a logged exchange names its model. */
type LoggedNames = Pick<LogRequest, "request" | "response" | "provider" | "model">;

interface ModelCandidate {
  name: string;
  field: string;
}

/** `o4-mini-2025-04-16` → `o4-mini`: OpenAI reports the dated snapshot it served. */
const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

function modelCandidates(log: LoggedNames): ModelCandidate[] {
  // A model named by the caller is authoritative: nothing else is tried.
  if (log.model !== undefined) return [{ name: log.model, field: "model" }];
  const out: ModelCandidate[] = [];
  const responseField = str(log.response.model) !== undefined ? "model" : "modelVersion";
  const named = str(log.response[responseField]);
  if (named !== undefined) {
    const field = `response.${responseField}`;
    out.push({ name: named, field });
    // The snapshot is priced as its alias; not a change worth a warning.
    if (DATED_SNAPSHOT.test(named)) out.push({ name: named.replace(DATED_SNAPSHOT, ""), field });
  }
  const requested = str(log.request.model);
  if (requested !== undefined) out.push({ name: requested, field: "request.model" });
  return out;
}

/**
 * The catalog entry the exchange ran on. A logged call really ran on the model it names,
 * so a retired name stays itself here (a run job would move to the replacement).
 */
function lookup(catalog: Catalog, name: string): ModelInfo | undefined {
  try {
    const { model, warnings } = catalog.resolve(name);
    if (warnings.length === 0) return model;
    const trimmed = name.trim();
    return catalog.list().find((m) => m.id === trimmed || m.aliases.includes(trimmed)) ?? model;
  } catch (error) {
    if (ReasonqError.is(error) && error.type === "unknown_model") return undefined;
    throw error;
  }
}

export function resolveLogModel(catalog: Catalog, log: LoggedNames): { model: ModelInfo; warnings: Warning[] } {
  const candidates = modelCandidates(log);
  const first = candidates[0];
  if (first === undefined) {
    throw new ReasonqError("invalid_request", "neither the response nor the request names a model: give `model`", {
      field: "model",
    });
  }
  const provider = log.provider;
  for (const candidate of candidates) {
    const names =
      provider === undefined || candidate.name.startsWith(`${provider}/`)
        ? [candidate.name]
        : [`${provider}/${candidate.name}`, candidate.name];
    for (const name of names) {
      const model = lookup(catalog, name);
      if (model === undefined) continue;
      if (provider !== undefined && model.provider !== provider) {
        throw new ReasonqError(
          "invalid_request",
          `${candidate.field} "${candidate.name}" is ${model.id}, a ${model.provider} model, not a ${provider} one`,
          { field: "provider" },
        );
      }
      const warnings: Warning[] =
        candidate.field === first.field
          ? []
          : [
              {
                type: "adapted",
                field: first.field,
                message: `"${first.name}" is not in the catalog; the exchange is recorded as ${model.id} (from ${candidate.field})`,
              },
            ];
      return { model, warnings };
    }
  }
  throw new ReasonqError(
    "unknown_model",
    `unknown model "${first.name}" (${first.field}); name a catalog model in \`model\` (GET /v1/models lists them)`,
    { field: first.field },
  );
}
