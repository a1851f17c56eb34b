// The file-size rule of `pnpm check` (docs/decisions/0006-checked-layout.md): a TypeScript
// source file under apps/ or packages/ has at most 400 lines, a test file at most 600
// (case tables read well long, but past that a test file is split by feature).
// Usage: node scripts/check-file-size.ts [root]
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export const MAX_SOURCE_LINES = 400;
export const MAX_TEST_LINES = 600;

const SKIPPED = new Set(["node_modules", "dist", "coverage", ".turbo", ".reasonq", "test-artifacts", "__fixtures__"]);
const TEST_FILE = /(\.test\.ts$|\/test\/)/;

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.[cm]?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield path;
  }
}

function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Files over their limit, as `path: lines (limit)`, in path order. */
export function oversized(root: string): string[] {
  const out: string[] = [];
  for (const group of ["apps", "packages"]) {
    let found: string[];
    try {
      found = [...sources(join(root, group))];
    } catch {
      continue;
    }
    for (const path of found.sort()) {
      const name = relative(root, path);
      const limit = TEST_FILE.test(name) ? MAX_TEST_LINES : MAX_SOURCE_LINES;
      const lines = lineCount(readFileSync(path, "utf8"));
      if (lines > limit) out.push(`${name}: ${lines} lines (limit ${limit})`);
    }
  }
  return out;
}

if (import.meta.main) {
  const problems = oversized(process.argv[2] ?? process.cwd());
  if (problems.length > 0) {
    console.error(`files over the size limit; split them by what they do:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
}
