import { ConfigError, type ProviderConnection, REASONING_EFFORTS, type ReasoningEffort } from "@reasonq/core";
import type { ModelInfo } from "../adapter.ts";
import { httpUrl, Problems, positiveInt, stringList, unknownKeys } from "./custom-provider-checks.ts";
import { isObject, type WireObject } from "./openai-compatible-api-types.ts";
import {
  type OpenAICompatibleProfile,
  REASONING_FIELDS,
  type ReasoningField,
  type ReasoningRequest,
  USAGE_CONVENTIONS,
  type UsageConvention,
} from "./openai-compatible-profiles.ts";

/**
 * User-defined OpenAI-compatible providers from `reasonq.config.(json|yaml)`, e.g.
 *
 * ```yaml
 * providers:
 *   - name: acme                       # family: model ids are acme/<id>, one queue "acme"
 *     base_url: https://llm.acme.internal/v1
 *     api_key_env: ACME_API_KEY        # optional: without it no key is sent or required
 *     reasoning_field: reasoning_content            # or reasoning, reasoning_details, or a list
 *     reasoning_request: reasoning_effort           # none | return_reasoning | reasoning_effort |
 *                                                   # reasoning | chat_template_kwargs | enable_thinking
 *     usage_convention: includes_reasoning          # or excludes_reasoning (xAI-style)
 *     models:
 *       - id: acme-think-1
 *         aliases: [acme-think]
 *         context_window: 131072
 *         max_output_tokens: 32768
 *         reasoning: { kind: full, can_disable: false }
 * ```
 *
 * `reasoning_request` may also be an object: `{type: reasoning_effort, efforts: [low, high],
 * off: none}` or `{type: chat_template_kwargs, key: thinking}`; a model may override it
 * with `reasoning: {request: …}`. The parser is pure and reports every problem at once,
 * naming the entry and the field. (A zod schema would be the house style; zod is not a
 * dependency of @reasonq/providers, so the same rules are written out here.)
 */
export interface CustomProviders {
  profiles: OpenAICompatibleProfile[];
  models: ModelInfo[];
}

/** Family names reasonq already uses; a custom provider cannot take them. */
export const RESERVED_FAMILIES: readonly string[] = [
  "sim",
  "openai",
  "anthropic",
  "google",
  "deepseek",
  "xai",
  "openrouter",
  "theagentic",
  "vllm",
  "sglang",
  "ollama",
];

const PROVIDER_KEYS = [
  "name",
  "label",
  "base_url",
  "api_key_env",
  "reasoning_field",
  "reasoning_request",
  "usage_convention",
  "extra_body",
  "models",
];
const MODEL_KEYS = [
  "id",
  "aliases",
  "context_window",
  "max_output_tokens",
  "default_max_output_tokens",
  "sampling",
  "reasoning",
];
const SAMPLING_FIELDS = ["temperature", "top_p", "top_k", "stop", "seed"] as const;
const DEFAULT_SAMPLING: ModelInfo["sampling"] = ["temperature", "top_p", "stop", "seed"];
const REQUEST_TYPES = [
  "none",
  "return_reasoning",
  "reasoning_effort",
  "reasoning",
  "chat_template_kwargs",
  "enable_thinking",
];
const KINDS = ["full", "summary", "hidden"] as const;
const FAMILY_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParseCustomProvidersOptions {
  /** Families that exist already (defaults to RESERVED_FAMILIES). */
  reservedFamilies?: readonly string[];
}

/**
 * `value` is the config's `providers` list (undefined or null: none). Throws a
 * `ConfigError` listing every problem as `providers[i] ("name").field: rule`.
 */
export function parseCustomProviders(value: unknown, options: ParseCustomProvidersOptions = {}): CustomProviders {
  if (value === undefined || value === null) return { profiles: [], models: [] };
  const problems = new Problems();
  if (!Array.isArray(value)) {
    problems.add("providers", "must be a list of provider entries");
    throw new ConfigError(problems.list);
  }
  const reserved = new Set(options.reservedFamilies ?? RESERVED_FAMILIES);
  const seen = new Set<string>();
  const out: CustomProviders = { profiles: [], models: [] };
  value.forEach((entry, i) => {
    const parsed = parseProvider(entry, `providers[${i}]`, problems);
    if (parsed === undefined) return;
    const { profile } = parsed;
    const where = `providers[${i}] ("${profile.family}").name`;
    if (reserved.has(profile.family))
      problems.add(where, `"${profile.family}" is a built-in provider; choose another name`);
    else if (seen.has(profile.family)) problems.add(where, `"${profile.family}" is defined twice`);
    seen.add(profile.family);
    out.profiles.push(profile);
    out.models.push(...parsed.models);
  });
  checkAliases(out.models, problems);
  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return out;
}

function parseProvider(
  entry: unknown,
  at: string,
  problems: Problems,
): { profile: OpenAICompatibleProfile; models: ModelInfo[] } | undefined {
  if (!isObject(entry)) return problems.add(at, "must be an object");
  const name = typeof entry.name === "string" ? entry.name : undefined;
  const where = name === undefined ? at : `${at} ("${name}")`;
  unknownKeys(entry, PROVIDER_KEYS, where, problems);
  if (name === undefined || !FAMILY_NAME.test(name)) {
    problems.add(`${where}.name`, "is required: lowercase letters, digits, '-' or '_', starting with a letter");
  }
  const baseUrl = httpUrl(entry.base_url, `${where}.base_url`, problems);
  const apiKeyEnv = entry.api_key_env;
  if (apiKeyEnv !== undefined && (typeof apiKeyEnv !== "string" || !ENV_NAME.test(apiKeyEnv))) {
    problems.add(`${where}.api_key_env`, "must be an environment variable name such as ACME_API_KEY");
  }
  if (entry.label !== undefined && (typeof entry.label !== "string" || entry.label === "")) {
    problems.add(`${where}.label`, "must be a non-empty string");
  }
  if (entry.extra_body !== undefined && !isObject(entry.extra_body)) {
    problems.add(`${where}.extra_body`, "must be an object of fields sent with every request");
  }
  const fields = reasoningFields(entry.reasoning_field, `${where}.reasoning_field`, problems);
  const request = reasoningRequest(entry.reasoning_request ?? "none", `${where}.reasoning_request`, problems);
  const convention = entry.usage_convention ?? "includes_reasoning";
  if (!USAGE_CONVENTIONS.includes(convention as UsageConvention)) {
    problems.add(`${where}.usage_convention`, `must be one of ${USAGE_CONVENTIONS.join(", ")}`);
  }
  if (!Array.isArray(entry.models) || entry.models.length === 0) {
    problems.add(`${where}.models`, "must be a non-empty list");
  }
  // Models are checked even when the entry is broken, so every problem is reported at once.
  const family = name ?? "";
  const overrides: Record<string, ReasoningRequest> = {};
  const models: ModelInfo[] = [];
  const ids = new Set<string>();
  (Array.isArray(entry.models) ? entry.models : []).forEach((m, j) => {
    const model = parseModel(m, family, request ?? { type: "none" }, `${where}.models[${j}]`, problems);
    if (model === undefined) return;
    if (ids.has(model.info.model)) problems.add(`${where}.models[${j}].id`, `"${model.info.model}" is listed twice`);
    ids.add(model.info.model);
    models.push(model.info);
    if (model.request !== undefined) overrides[model.info.model] = model.request;
  });
  if (name === undefined || baseUrl === undefined || request === undefined) return undefined;
  const profile: OpenAICompatibleProfile = {
    family,
    label: typeof entry.label === "string" && entry.label !== "" ? entry.label : family,
    baseUrl,
    apiKeyEnv: typeof apiKeyEnv === "string" ? apiKeyEnv : `${family.toUpperCase().replace(/-/g, "_")}_API_KEY`,
    requiresApiKey: typeof apiKeyEnv === "string",
    reasoningRequest: request,
    reasoningFields: fields ?? ["reasoning_content", "reasoning"],
    usageConvention: convention as UsageConvention,
  };
  if (Object.keys(overrides).length > 0) profile.modelReasoningRequests = overrides;
  if (isObject(entry.extra_body)) profile.extraBody = { ...entry.extra_body };
  return { profile, models };
}

function parseModel(
  entry: unknown,
  family: string,
  providerRequest: ReasoningRequest,
  where: string,
  problems: Problems,
): { info: ModelInfo; request: ReasoningRequest | undefined } | undefined {
  if (!isObject(entry)) return problems.add(where, "must be an object with at least an id");
  unknownKeys(entry, MODEL_KEYS, where, problems);
  const id = entry.id;
  if (typeof id !== "string" || id.trim() === "" || /\s/.test(id)) {
    return problems.add(`${where}.id`, "is required: the model name the provider's API expects, without spaces");
  }
  const aliases = stringList(entry.aliases ?? [], `${where}.aliases`, problems) ?? [];
  for (const alias of aliases) {
    if (alias.includes("/") || /\s/.test(alias))
      problems.add(`${where}.aliases`, `"${alias}" must be a bare name (no '/', no spaces)`);
  }
  const context = positiveInt(entry.context_window, 128_000, `${where}.context_window`, problems);
  const maxOutput = positiveInt(
    entry.max_output_tokens,
    Math.min(32_768, context),
    `${where}.max_output_tokens`,
    problems,
  );
  const defaultOutput = positiveInt(
    entry.default_max_output_tokens,
    Math.min(8_192, maxOutput),
    `${where}.default_max_output_tokens`,
    problems,
  );
  if (defaultOutput > maxOutput)
    problems.add(`${where}.default_max_output_tokens`, "must not exceed max_output_tokens");
  const sampling = samplingList(entry.sampling, `${where}.sampling`, problems);
  const reasoning = modelReasoning(entry.reasoning, providerRequest, `${where}.reasoning`, problems);
  if (reasoning === undefined) return undefined;
  const info: ModelInfo = {
    id: `${family}/${id}`,
    provider: family,
    model: id,
    aliases,
    reasoning: reasoning.info,
    context_window: context,
    max_output_tokens: maxOutput,
    default_max_output_tokens: defaultOutput,
    sampling,
  };
  return { info, request: reasoning.request };
}

function modelReasoning(
  value: unknown,
  providerRequest: ReasoningRequest,
  where: string,
  problems: Problems,
): { info: ModelInfo["reasoning"]; request: ReasoningRequest | undefined } | undefined {
  if (value === false)
    return { info: { supported: false, field: null, kind: "none", can_disable: false }, request: undefined };
  const spec: WireObject = value === undefined || value === true ? {} : isObject(value) ? value : {};
  if (value !== undefined && typeof value !== "boolean" && !isObject(value)) {
    return problems.add(where, "must be true, false or an object {kind, can_disable, request}");
  }
  unknownKeys(spec, ["kind", "can_disable", "request"], where, problems);
  const request = spec.request === undefined ? undefined : reasoningRequest(spec.request, `${where}.request`, problems);
  const style = request ?? providerRequest;
  const kind = spec.kind ?? "full";
  if (!KINDS.includes(kind as (typeof KINDS)[number]))
    problems.add(`${where}.kind`, `must be one of ${KINDS.join(", ")}`);
  const canDisable = spec.can_disable ?? canTurnOff(style);
  if (typeof canDisable !== "boolean") problems.add(`${where}.can_disable`, "must be true or false");
  else if (canDisable && !canTurnOff(style)) {
    problems.add(`${where}.can_disable`, `reasoning_request "${style.type}" has no way to turn thinking off`);
  }
  return {
    info: {
      supported: true,
      field: style.type === "none" ? null : style.type === "reasoning_object" ? "reasoning" : style.type,
      kind: kind as (typeof KINDS)[number],
      can_disable: canDisable === true,
    },
    request,
  };
}

function canTurnOff(style: ReasoningRequest): boolean {
  if (style.type === "reasoning_effort") return style.off !== undefined;
  return style.type === "reasoning_object" || style.type === "chat_template_kwargs" || style.type === "enable_thinking";
}

function reasoningRequest(value: unknown, where: string, problems: Problems): ReasoningRequest | undefined {
  const spec: WireObject | undefined =
    typeof value === "string" ? { type: value } : isObject(value) ? value : undefined;
  const type = spec?.type;
  if (spec === undefined || typeof type !== "string" || !REQUEST_TYPES.includes(type)) {
    return problems.add(where, `must be one of ${REQUEST_TYPES.join(", ")} (or an object with that "type")`);
  }
  const allowed: Record<string, string[]> = {
    reasoning_effort: ["type", "efforts", "off"],
    chat_template_kwargs: ["type", "key"],
  };
  unknownKeys(spec, allowed[type] ?? ["type"], where, problems);
  switch (type) {
    case "reasoning_effort": {
      const efforts = stringList(spec.efforts ?? ["low", "medium", "high"], `${where}.efforts`, problems) ?? [];
      const bad = efforts.filter((e) => !(REASONING_EFFORTS as readonly string[]).includes(e));
      if (bad.length > 0 || efforts.length === 0) {
        return problems.add(`${where}.efforts`, `must be a non-empty list of ${REASONING_EFFORTS.join(", ")}`);
      }
      if (spec.off !== undefined && (typeof spec.off !== "string" || spec.off === "")) {
        return problems.add(`${where}.off`, 'must be the effort value that turns thinking off, such as "none"');
      }
      const style: ReasoningRequest = { type, efforts: efforts as ReasoningEffort[] };
      return typeof spec.off === "string" ? { ...style, off: spec.off } : style;
    }
    case "chat_template_kwargs": {
      const key = spec.key ?? "enable_thinking";
      if (typeof key !== "string" || key === "")
        return problems.add(`${where}.key`, "must be a template variable name");
      return { type, key };
    }
    case "reasoning":
      return { type: "reasoning_object" };
    default:
      return { type } as ReasoningRequest;
  }
}

function reasoningFields(value: unknown, where: string, problems: Problems): ReasoningField[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : stringList(value, where, problems);
  if (list === undefined) return undefined;
  const bad = list.filter((f) => !REASONING_FIELDS.includes(f as ReasoningField));
  if (bad.length > 0 || list.length === 0) {
    return problems.add(where, `must be one or more of ${REASONING_FIELDS.join(", ")}`);
  }
  const fields = list as ReasoningField[];
  // reasoning_details alone still has a plain-text companion on OpenRouter-like servers.
  return fields.length === 1 && fields[0] === "reasoning_details" ? ["reasoning", "reasoning_details"] : fields;
}

function samplingList(value: unknown, where: string, problems: Problems): ModelInfo["sampling"] {
  if (value === undefined) return DEFAULT_SAMPLING;
  const list = stringList(value, where, problems) ?? [];
  const bad = list.filter((s) => !(SAMPLING_FIELDS as readonly string[]).includes(s));
  if (bad.length > 0)
    problems.add(where, `unknown sampling field(s) ${bad.join(", ")}; known: ${SAMPLING_FIELDS.join(", ")}`);
  return list.filter((s): s is (typeof SAMPLING_FIELDS)[number] => (SAMPLING_FIELDS as readonly string[]).includes(s));
}

function checkAliases(models: readonly ModelInfo[], problems: Problems): void {
  const owner = new Map<string, string>();
  for (const model of models) {
    for (const alias of model.aliases) {
      const taken = owner.get(alias);
      if (taken !== undefined) problems.add(`model ${model.id}`, `alias "${alias}" is already used by ${taken}`);
      owner.set(alias, model.id);
    }
  }
}

/**
 * The connections of custom providers from an environment (only `main.ts` reads
 * `process.env`; it passes it here): each family gets its `api_key_env` value and its
 * configured base URL, ready for `createAdapters({ connections })`.
 */
export function customProviderConnections(
  providers: CustomProviders,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, ProviderConnection> {
  return Object.fromEntries(
    providers.profiles.map((profile) => {
      const apiKey = profile.requiresApiKey ? env[profile.apiKeyEnv] : undefined;
      const connection: ProviderConnection = { baseUrl: profile.baseUrl };
      if (apiKey !== undefined && apiKey !== "") connection.apiKey = apiKey;
      return [profile.family, connection];
    }),
  );
}
