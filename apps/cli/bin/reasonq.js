#!/usr/bin/env node
// The `reasonq` command. Node keeps the TypeScript it strips and the code it compiles in
// its compile cache (in the OS temp directory), so a command after the first starts
// without stripping types again: about 100 ms sooner (bench/cli-start.ts measures it).
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("../src/main.ts");
