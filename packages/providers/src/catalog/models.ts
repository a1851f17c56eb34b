import type { ModelInfo } from "../adapter.ts";
import { SIM_MODELS } from "../sim/sim-models.ts";

/** Every model reasonq knows. Each provider folder exports its own entries; add them here. */
export const MODELS: readonly ModelInfo[] = [...SIM_MODELS];
