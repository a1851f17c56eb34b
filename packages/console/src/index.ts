import { fileURLToPath } from "node:url";

/**
 * The console's files (index.html, console.css and the bundled console.js), served by the
 * API at `/`. console.js is built from src/ui by `pnpm --filter @reasonq/console run build:ui`
 * and checked in, so a fresh checkout serves the console with no build step; a test fails
 * while it differs from what the sources build to.
 */
export const CONSOLE_ASSETS_DIR = fileURLToPath(new URL("../assets/", import.meta.url));
