// Rebuilds assets/console.js from src/ui: `pnpm --filter @reasonq/console run build:ui`.
// The bundle is checked in, so `pnpm reasonq serve` serves the console with no build step;
// src/bundle.test.ts fails while it differs from what the sources build to.
import { writeFileSync } from "node:fs";
import { BUNDLE_PATH, bundleUi } from "./bundle-ui.ts";

const text = await bundleUi();
writeFileSync(BUNDLE_PATH, text);
console.log(`wrote ${BUNDLE_PATH} (${Math.round(text.length / 1024)} KiB)`);
