import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_SOURCE_LINES, MAX_TEST_LINES, oversized } from "./check-file-size.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "rq-checks-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const lines = (n: number) => "const x = 1;\n".repeat(n);

describe("the file-size check of pnpm check", () => {
  it("fails a 401-line source file and a 601-line test file, and passes files at the limits", () => {
    const root = tree({
      "packages/a/src/at-limit.ts": lines(MAX_SOURCE_LINES),
      "packages/a/src/over.ts": lines(MAX_SOURCE_LINES + 1),
      "packages/a/src/long.test.ts": lines(MAX_TEST_LINES),
      "apps/b/test/too-long.test.ts": lines(MAX_TEST_LINES + 1),
      "packages/a/node_modules/dep/huge.ts": lines(5000),
    });
    expect(oversized(root)).toEqual([
      "apps/b/test/too-long.test.ts: 601 lines (limit 600)",
      "packages/a/src/over.ts: 401 lines (limit 400)",
    ]);
    const run = spawnSync(process.execPath, [join(ROOT, "scripts/check-file-size.ts"), root], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("packages/a/src/over.ts: 401 lines");
    const clean = spawnSync(process.execPath, [
      join(ROOT, "scripts/check-file-size.ts"),
      tree({ "apps/c/src/x.ts": lines(400) }),
    ]);
    expect(clean.status).toBe(0);
  });

  it("passes on the repository itself", () => {
    expect(oversized(ROOT)).toEqual([]);
  });
});

describe("the dead-export check of pnpm check (knip, with the repository's settings)", () => {
  it("fails on an export nothing uses, and passes once it is used", () => {
    const settings = JSON.parse(readFileSync(join(ROOT, "knip.json"), "utf8"));
    const root = tree({
      "package.json": JSON.stringify({ name: "probe", private: true, type: "module", exports: "./src/index.ts" }),
      "knip.json": JSON.stringify({
        ignoreExportsUsedInFile: settings.ignoreExportsUsedInFile,
        entry: ["src/index.ts"],
      }),
      "src/index.ts": 'import { used } from "./lib.ts";\nexport const answer = used;\n',
      "src/lib.ts": "export const used = 1;\nexport function forgotten(): number {\n  return 2;\n}\n",
    });
    const knip = join(ROOT, "node_modules/.bin/knip");
    const failing = spawnSync(knip, ["--no-progress"], { cwd: root, encoding: "utf8" });
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/Unused exports[\s\S]*forgotten\s+function\s+src\/lib\.ts/);

    writeFileSync(
      join(root, "src/index.ts"),
      'import { forgotten, used } from "./lib.ts";\nexport const answer = used + forgotten();\n',
    );
    expect(() => execFileSync(knip, ["--no-progress"], { cwd: root, encoding: "utf8" })).not.toThrow();
  });
});
