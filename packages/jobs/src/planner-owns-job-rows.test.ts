import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * What building a job row looks like: minting a job id, filling the row's request columns,
 * or calling an adapter's `prepare`. Only the planner (packages/jobs) does these; the store
 * writes rows it is given, core declares the columns' API schema, providers define `prepare`.
 */
const RULES: Array<{ what: string; pattern: RegExp; allowedIn: RegExp }> = [
  { what: "mints a job id", pattern: /newId\(\s*"job"/, allowedIn: /^packages\/jobs\// },
  {
    what: "fills a job row's request columns",
    pattern: /\b(resolved_params|prepared_request|max_cost_estimate)\s*:/,
    // core declares the API's Job schema, the store the table.
    allowedIn: /^packages\/(jobs|store|core)\//,
  },
  { what: "calls an adapter's prepare", pattern: /\.prepare\(/, allowedIn: /^packages\/(jobs|providers)\// },
];

function* productionSources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "dist", "test", "__fixtures__"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* productionSources(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) yield path;
  }
}

/** `path: what it does` for every production source that builds a job row outside the planner. */
function rowsBuiltOutsideThePlanner(files: Iterable<[path: string, text: string]>): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    for (const rule of RULES) {
      if (!rule.allowedIn.test(path) && rule.pattern.test(text)) found.push(`${path}: ${rule.what}`);
    }
  }
  return found;
}

describe("the planner is the one place a job row is built", () => {
  it("finds no production source outside packages/jobs that builds one", () => {
    const files = ["apps", "packages"].flatMap((group) =>
      [...productionSources(join(ROOT, group))].map((path): [string, string] => [
        relative(ROOT, path),
        readFileSync(path, "utf8"),
      ]),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(rowsBuiltOutsideThePlanner(files)).toEqual([]);
  });

  it("would catch each way of building one", () => {
    const service = `const row = { id: newId("job"), resolved_params: prepared.resolvedParams };
      const prepared = adapters.get(model.provider).prepare(spec, model);`;
    expect(rowsBuiltOutsideThePlanner([["apps/worker/src/batches/grid.ts", service]])).toEqual([
      "apps/worker/src/batches/grid.ts: mints a job id",
      "apps/worker/src/batches/grid.ts: fills a job row's request columns",
      "apps/worker/src/batches/grid.ts: calls an adapter's prepare",
    ]);
    expect(rowsBuiltOutsideThePlanner([["packages/jobs/src/plan-job.ts", service]])).toEqual([]);
  });
});
