import { defineConfig } from "vitest/config";

const pkgs = [
  "core",
  "providers",
  "billing",
  "store",
  "queue",
  "testkit",
  "mock-providers",
  "eval",
  "jobs",
  "console",
  "webhooks",
];
const apps = ["api", "worker", "cli"];

export default defineConfig({
  test: {
    projects: [
      ...pkgs.map((name) => ({
        test: { name, root: `packages/${name}`, include: ["src/**/*.test.ts"] },
      })),
      { test: { name: "tooling", root: "scripts", include: ["*.test.ts"] } },
      ...apps.map((name) => ({
        test: {
          name,
          root: `apps/${name}`,
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          // The CLI's end-to-end tests start several real processes (each opening PGlite and
          // migrating it): a bound for a loaded machine, not a wait.
          ...(name === "cli" ? { testTimeout: 180_000, hookTimeout: 180_000 } : {}),
        },
      })),
    ],
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest-results.json" }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
