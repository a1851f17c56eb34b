import type { ZodError } from "zod";
import { ReasonqError } from "./reasonq-error.ts";

/** A zod failure as one `invalid_request` naming the first bad field. */
export function requestErrorFrom(error: ZodError, prefix = ""): ReasonqError {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String);
  if (issue?.code === "unrecognized_keys" && issue.keys.length > 0) {
    const field = [prefix, ...path, issue.keys[0]].filter((p) => p !== "").join(".");
    return new ReasonqError("invalid_request", `unknown field (not part of the API): ${issue.keys.join(", ")}`, {
      field,
    });
  }
  const field = [prefix, ...path].filter((p) => p !== "").join(".");
  const message = issue?.message ?? "invalid request";
  return new ReasonqError("invalid_request", field === "" ? message : `${field}: ${message}`, {
    ...(field === "" ? {} : { field }),
  });
}
