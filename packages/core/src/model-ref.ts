export interface ModelRef {
  provider: string;
  model: string;
}

/** `provider/model` → parts; a bare name (no slash) returns null and is left to the catalog. */
export function parseModelRef(name: string): ModelRef | null {
  const slash = name.indexOf("/");
  if (slash <= 0 || slash === name.length - 1) return null;
  return { provider: name.slice(0, slash), model: name.slice(slash + 1) };
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}
