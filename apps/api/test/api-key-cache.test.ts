import { ChannelSubscriber, channels, createRedis, ready } from "@reasonq/queue";
import { createStore, type Store } from "@reasonq/store";
import { type TestRedis, testRedis, waitFor } from "@reasonq/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeyCache } from "../src/plugins/api-key-cache.ts";

describe("API key cache", () => {
  let store: Store;
  let redis: TestRedis;
  let subscriber: ChannelSubscriber;

  beforeAll(async () => {
    store = await createStore({ kind: "pglite" });
    redis = await testRedis();
    subscriber = new ChannelSubscriber(createRedis(redis.url, "consumer", { onError: () => {} }));
  });
  afterAll(async () => {
    await subscriber.close();
    await store.close();
    await redis.stop();
  });

  it("answers from memory, and forgets a key when its revocation is broadcast", async () => {
    const cache = new ApiKeyCache(store);
    const channel = channels(redis.prefix).apiKeys;
    await cache.listen(subscriber, channel);
    const { key, apiKey } = await store.apiKeys.create("cached");
    expect((await cache.authenticate(key))?.id).toBe(apiKey.id);

    await store.apiKeys.revoke(apiKey.id);
    // Still known: the revocation has not been announced, and nothing read the database again.
    expect((await cache.authenticate(key))?.id).toBe(apiKey.id);

    const publisher = createRedis(redis.url, "producer", { onError: () => {} });
    await ready(publisher);
    await publisher.publish(channel, apiKey.id);
    publisher.disconnect();
    await waitFor(async () => (await cache.authenticate(key)) === null);
    expect(await cache.authenticate("rq_not_a_key_at_all_0000")).toBeNull();
    cache.close();
  });

  it("reads a forgotten key again: a new spend cap applies", async () => {
    const cache = new ApiKeyCache(store);
    const { key, apiKey } = await store.apiKeys.create("capped");
    expect((await cache.authenticate(key))?.spend_cap_usd).toBeNull();
    await store.apiKeys.setSpendCap(apiKey.id, "5");
    cache.forget(apiKey.id);
    expect((await cache.authenticate(key))?.spend_cap_usd).toBe("5");
  });
});
