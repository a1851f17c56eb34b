import { createHash } from "node:crypto";

/** Deterministic uniform numbers in [0, 1) from a key: the sim's only source of "chance". */
export function draws(key: string): [number, number, number] {
  const digest = createHash("sha256").update(key).digest();
  const at = (offset: number) => digest.readUIntBE(offset, 6) / 2 ** 48;
  return [at(0), at(6), at(12)];
}
