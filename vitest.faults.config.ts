import { defineConfig } from "vitest/config";

/** `pnpm test:faults`: the fault suite on real processes, run after the main tests. */
export default defineConfig({
  test: {
    name: "faults",
    root: "apps/cli",
    include: ["test/faults/**/*.fault.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
