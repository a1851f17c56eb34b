export { type Fault, FaultPlan, stripFaultMarkers } from "./faults.ts";
export { type MockHandler, type MockRequest, type MockServer, sendJson, startMockServer } from "./http.ts";
export { type SseOptions, type SseWriter, startSse } from "./sse.ts";
