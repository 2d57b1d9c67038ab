import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventBusContract, until } from "../src/testing/contracts/index.js";
import { RedisEventBus } from "../src/aws/index.js";
import { redisServerAvailable, startRedis } from "../src/testing/aws/servers.js";

const available = redisServerAvailable();
if (!available)
  console.warn(
    "SKIPPED: redis-server is not installed (apt-get install redis-server); the Redis EventBus tests did not run.",
  );

describe.skipIf(!available)("Redis EventBus (real redis-server)", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });

  eventBusContract("RedisEventBus (one pair of connections per instance)", async () => ({
    async open() {
      const bus = new RedisEventBus({ url: redis.url });
      await bus.connect();
      return bus;
    },
    async cleanup() {},
  }));

  it("subscribes the same channel again right after the last listener left", async () => {
    const bus = new RedisEventBus({ url: redis.url });
    try {
      const first = await bus.subscribe("c", () => {});
      first();
      const got: unknown[] = [];
      await bus.subscribe("c", (p) => got.push(p));
      await bus.publish("c", { n: 1 });
      await until(() => got.length === 1, "the event after re-subscribing");
      expect(got).toEqual([{ n: 1 }]);
    } finally {
      await bus.close();
    }
  });
});
