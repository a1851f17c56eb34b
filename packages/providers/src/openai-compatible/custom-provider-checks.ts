import type { WireObject } from "./openai-compatible-api-types.ts";

/** Small checks for the custom-providers parser: each reports where and what, and carries on. */

/** Collects problems with their location instead of stopping at the first. */
export class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): undefined {
    this.list.push(`${where}: ${message}`);
    return undefined;
  }
}

export function stringList(value: unknown, where: string, problems: Problems): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
    return problems.add(where, "must be a list of non-empty strings");
  }
  return value as string[];
}

export function positiveInt(value: unknown, fallback: number, where: string, problems: Problems): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    problems.add(where, "must be a positive integer");
    return fallback;
  }
  return value;
}

export function httpUrl(value: unknown, where: string, problems: Problems): string | undefined {
  if (typeof value !== "string") return problems.add(where, "is required: the endpoint's base URL (http or https)");
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return value.replace(/\/+$/, "");
  } catch {
    // reported below
  }
  return problems.add(where, `"${value}" is not an http(s) URL`);
}

export function unknownKeys(value: WireObject, known: readonly string[], where: string, problems: Problems): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.add(`${where}.${key}`, `unknown field (known: ${known.join(", ")})`);
  }
}
