import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE_PATH, bundleUi } from "../scripts/bundle-ui.ts";
import { CONSOLE_ASSETS_DIR } from "./index.ts";

describe("the console's checked-in bundle", () => {
  it("is what src/ui builds to (run `pnpm --filter @reasonq/console run build:ui` after changing it)", async () => {
    expect(readFileSync(BUNDLE_PATH, "utf8") === (await bundleUi())).toBe(true);
  });

  it("is beside the page that loads it, with no URL outside this origin", () => {
    const page = readFileSync(join(CONSOLE_ASSETS_DIR, "index.html"), "utf8");
    expect(page).toContain('src="console.js"');
    expect(page).toContain('href="console.css"');
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
