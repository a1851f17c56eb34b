export { type AppDeps, BODY_LIMIT_BYTES, buildApp } from "./build-app.ts";
export { type ApiDeps, type RunningApi, startApi } from "./start-api.ts";
