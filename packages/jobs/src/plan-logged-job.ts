import { type PriceCatalog, type PricedUsage, priceUsage } from "@reasonq/billing";
import { type JobSpec, type LogRequest, newId, ReasonqError, type Usage, UsageSchema } from "@reasonq/core";
import type { LoggedExchange, ModelInfo } from "@reasonq/providers";
import type { NewLoggedJob } from "@reasonq/store";
import { incompleteReason } from "./incomplete-reason.ts";

/**
 * A logged exchange, normalised by the providers' response mapping, → the finished job
 * that records it: priced at the call's time as a run job's attempt is, `succeeded` or
 * `incomplete` by the same rule, the logged request kept verbatim.
 */
export function planLoggedJob(
  log: LogRequest,
  exchange: LoggedExchange,
  apiKeyId: string,
  prices: PriceCatalog,
  now = new Date(),
): NewLoggedJob {
  const { started, completed } = timesOf(log, now);
  const { model, result } = exchange;
  const warnings = [...exchange.warnings];
  let usage: Usage | null = null;
  let priced: PricedUsage = { cost: null, snapshot: null };
  if (result.usage === null) {
    warnings.push({
      type: "unsupported",
      field: "response.usage",
      message: "the response reports no usage: its tokens and cost are unknown",
    });
  } else {
    const checked = UsageSchema.safeParse(result.usage);
    if (!checked.success) {
      throw new ReasonqError("invalid_request", "the response's usage does not add up to whole token counts", {
        field: "response.usage",
      });
    }
    usage = checked.data;
    priced = price(prices, model, started, usage);
    if (priced.warning !== undefined) warnings.push(priced.warning);
  }

  const metadata = log.metadata ?? {};
  const spec: JobSpec = {
    model: model.id,
    messages: [],
    reasoning: { include: true, enabled: true },
    sampling: {},
    metadata,
  };
  const output = result.output;
  const incomplete = incompleteReason(output.finish_reason, output.answer);
  return {
    id: newId("job", now.getTime()),
    api_key_id: apiKeyId,
    model: model.id,
    provider: model.provider,
    status: incomplete === null ? "succeeded" : "incomplete",
    spec,
    resolved_params: log.request,
    metadata,
    warnings,
    output,
    usage,
    cost: priced.cost,
    price_snapshot: priced.snapshot,
    incomplete_reason: incomplete,
    started_at: started,
    completed_at: completed,
    raw_usage: result.reported?.raw,
  };
}

/** Priced as a run job's attempt (`priceUsage`); usage that cannot be priced is the response's fault. */
function price(prices: PriceCatalog, model: ModelInfo, at: Date, usage: Usage): PricedUsage {
  try {
    return priceUsage(model.id, at, usage, prices);
  } catch (error) {
    if (!ReasonqError.is(error) || error.type !== "internal_error") throw error;
    throw new ReasonqError("invalid_request", `the response's usage cannot be priced: ${error.message}`, {
      field: "response.usage",
    });
  }
}

function timesOf(log: LogRequest, now: Date): { started: Date; completed: Date } {
  const started = log.started_at === undefined ? undefined : new Date(log.started_at);
  const completed = log.completed_at === undefined ? undefined : new Date(log.completed_at);
  if (started !== undefined && completed !== undefined && started > completed) {
    throw new ReasonqError("invalid_request", "started_at is after completed_at", { field: "started_at" });
  }
  return { started: started ?? completed ?? now, completed: completed ?? started ?? now };
}
