export { launchChromium, type TestBrowser } from "./chromium.ts";
export {
  dropSchema,
  postgresOptions,
  TEST_DATABASE_URL,
  type TestDatabase,
  testDatabases,
  uniqueSchema,
} from "./databases.ts";
export { freePort, type RedisServerProcess, startRedisServer, type TestRedis, testRedis } from "./redis-server.ts";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
export { waitFor } from "./wait-for.ts";
