// Import boundaries of SPEC §1 and STYLE §8.16, checked by `pnpm run deps` (part of `pnpm check`).
// Paths in rules are relative to the repository root, e.g. "packages/core/src/ids.ts".
// Workspace packages are followed through their node_modules symlinks to their real
// sources, so `import { x } from "@reasonq/core"` shows up as a dependency on
// "packages/core/src/index.ts". Why TypeScript 6 parses for us while tsc is 7:
// docs/decisions/0001-tooling.md.
const { readdirSync, readFileSync, existsSync } = require("node:fs");
const { join } = require("node:path");

/** Where a file of a test lives: `*.test.ts` anywhere, or a `test/` folder. */
const TEST_FILE = "(\\.test\\.[cm]?[jt]s$|/test/|/__fixtures__/)";

/** The one public entry of every workspace package, read from its package.json `exports`. */
function workspaceEntries() {
  const entries = [];
  for (const group of ["packages", "apps"]) {
    if (!existsSync(join(__dirname, group))) continue;
    for (const name of readdirSync(join(__dirname, group))) {
      const manifestPath = join(__dirname, group, name, "package.json");
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
      const exported = manifest.exports;
      const entry = typeof exported === "string" ? exported : exported?.["."];
      const target = typeof entry === "string" ? entry : (entry?.import ?? entry?.default ?? "./src/index.ts");
      entries.push(`${group}/${name}/${target.replace(/^\.\//, "")}`);
    }
  }
  return entries;
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ENTRY_FILES = `^(${workspaceEntries().map(escapeRegExp).join("|") || "(packages|apps)/[^/]+/src/index\\.ts"})$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles, type-only ones included (STYLE §8.16). Extract the shared part into its own module.",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-imports-nothing-of-ours",
      severity: "error",
      comment: "packages/core is pure domain and imports nothing of ours (SPEC §1).",
      from: { path: "^packages/core/" },
      to: { path: ["^packages/", "^apps/", "^@reasonq/"], pathNot: "^packages/core/" },
    },
    {
      name: "packages-not-to-apps",
      severity: "error",
      comment: "Apps depend on packages, packages never on apps (SPEC §1).",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "package-layering",
      severity: "error",
      comment:
        "The 'may import' column of SPEC §1: providers, billing, store and queue import only core. Tests are exempt (testkit has its own rule).",
      from: { path: "^packages/(providers|billing|store|queue)/", pathNot: TEST_FILE },
      to: { path: "^packages/", pathNot: ["^packages/$1/", "^packages/core/", "^packages/testkit/"] },
    },
    {
      name: "eval-layering",
      severity: "error",
      comment: "The 'may import' column of SPEC §1: eval imports only core and billing. Tests are exempt.",
      from: { path: "^packages/eval/", pathNot: TEST_FILE },
      to: {
        path: "^packages/",
        pathNot: ["^packages/eval/", "^packages/core/", "^packages/billing/", "^packages/testkit/"],
      },
    },
    {
      name: "jobs-layering",
      severity: "error",
      comment:
        "packages/jobs plans jobs from the catalog, the adapters' prepare, prices, the store's row types and eval's dataset items: it imports those packages only. Tests are exempt.",
      from: { path: "^packages/jobs/", pathNot: TEST_FILE },
      to: {
        path: "^packages/",
        pathNot: ["^packages/jobs/", "^packages/(core|providers|billing|store|eval)/", "^packages/testkit/"],
      },
    },
    {
      name: "cli-client-speaks-http",
      severity: "error",
      comment:
        "The CLI's HTTP client is typed by core's HTTP schemas and nothing else of ours: it never re-declares a body, and never reaches the store or the API's code.",
      from: { path: "^apps/cli/src/client\\.ts$" },
      to: { path: "^(packages|apps)/", pathNot: ["^packages/core/", "^apps/cli/src/client\\.ts$"] },
    },
    {
      name: "cli-client-commands-over-http",
      severity: "error",
      comment:
        "Commands that talk to a server (eval, usage, logs import, watch, submit/get) go through the HTTP client: no store, queue, planner, provider adapter or server code of their own.",
      from: { path: "^apps/cli/src/commands/(client-commands|eval|usage|log-import|watch)\\.ts$" },
      to: { path: "^(packages/(store|queue|jobs|providers|billing)|apps/(api|worker))/" },
    },
    {
      name: "api-services-not-to-routes",
      severity: "error",
      comment:
        "In the API, routes call services; a service never imports a route (what two routes share is a service).",
      from: { path: "^apps/api/src/services/" },
      to: { path: "^apps/api/src/routes/" },
    },
    {
      name: "nothing-imports-the-cli",
      severity: "error",
      comment: "apps/cli is the top of the graph: no package or other app imports it.",
      from: { path: "^(packages|apps/(api|worker))/" },
      to: { path: "^apps/cli/" },
    },
    {
      name: "apps-not-to-apps",
      severity: "error",
      comment: "api and worker stand alone; only the cli composes them (SPEC §1). Tests may wire both together.",
      from: { path: "^apps/(api|worker)/", pathNot: TEST_FILE },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "no-relative-import-across-packages",
      severity: "error",
      comment:
        "Another workspace package is imported by its name (`@reasonq/core`), never by a relative path into its folder.",
      from: { path: "^(packages|apps)/([^/]+)/" },
      to: { dependencyTypes: ["local"], path: "^(packages|apps)/", pathNot: "^$1/$2/" },
    },
    {
      name: "only-package-entry",
      severity: "error",
      comment:
        "A package exposes one public entry (its package.json `exports`); nothing reaches into another package's internals.",
      from: { path: "^(packages|apps)/([^/]+)/" },
      to: { path: "^(packages|apps)/", pathNot: ["^$1/$2/", ENTRY_FILES] },
    },
    {
      name: "no-deep-workspace-import",
      severity: "error",
      comment: "Import `@reasonq/x`, never `@reasonq/x/src/...` or any other subpath.",
      from: {},
      to: { path: "^@reasonq/[^/]+/." },
    },
    {
      name: "testkit-only-in-tests",
      severity: "error",
      comment: "packages/testkit is a dev-only helper: import it from *.test.ts, test/ folders or testkit itself.",
      from: { pathNot: [TEST_FILE, "^packages/testkit/"] },
      to: { path: "^packages/testkit/" },
    },
    {
      name: "not-to-dev-dep",
      severity: "error",
      comment: "Production sources import only `dependencies`; devDependencies are for tests and tooling.",
      from: { path: "^(packages|apps)/[^/]+/src/", pathNot: [TEST_FILE, "^packages/testkit/"] },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"], pathNot: "node_modules/@types/" },
    },
    {
      name: "no-undeclared-dependency",
      severity: "error",
      comment: "Every npm package imported must be listed in the importing package's package.json (or the root's).",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that does not resolve: a typo, a missing file, an undeclared workspace package.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Cruise our sources; npm packages are recorded as leaves, never entered. Workspace
    // packages are not under node_modules once their symlinks are resolved, so they are followed.
    doNotFollow: { path: "(^|/)node_modules/" },
    // Anchored to our own folders: an unanchored "dist/" would also drop every npm package
    // that resolves into its dist/ folder, and with it the npm rules below.
    exclude: { path: "^(packages|apps)/[^/]+/(dist|coverage|\\.turbo|\\.reasonq|test-artifacts)/" },
    // Resolve pnpm's node_modules symlinks to the real path (packages/core/src/index.ts).
    preserveSymlinks: false,
    // Look at package.json files up to the root, so root devDependencies (vitest) count as declared.
    combinedDependencies: true,
    // `import type` matters for boundaries too (TypeScript parser, see the ADR).
    tsPreCompilationDeps: true,
    parser: "tsc",
    detectJSDocImports: false,
    moduleSystems: ["es6", "cjs"],
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
