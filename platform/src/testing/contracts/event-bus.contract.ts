import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventBus } from "../../ports/event-bus.js";
import { until } from "./helpers.js";

export interface EventBusFixture {
  /** A new bus instance on the shared backend, as a separate process (API, worker) would open it. */
  open(): Promise<EventBus>;
  cleanup(): Promise<void>;
}

interface Msg {
  readonly from: string;
  readonly i: number;
  readonly at?: string;
}

/**
 * The EventBus port's behaviour; run it for every adapter. "No duplicates" is checked with a
 * barrier: a message published after the others, by another instance, arrives only once every
 * earlier message has had its chance to arrive (a second time, were there a bug).
 */
export function eventBusContract(name: string, make: () => Promise<EventBusFixture>): void {
  describe(`EventBus contract: ${name}`, () => {
    let fx: EventBusFixture;
    let a: EventBus;
    let b: EventBus;
    let channel: string;
    beforeEach(async () => {
      fx = await make();
      a = await fx.open();
      b = await fx.open();
      channel = `job:${randomUUID()}`;
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await fx.cleanup();
    });

    const collect = async (bus: EventBus, ch = channel) => {
      const got: Msg[] = [];
      const unsubscribe = await bus.subscribe(ch, (p) => got.push(p as Msg));
      return { got, unsubscribe };
    };
    const barrier = async (publisher: EventBus, got: Msg[], ch = channel) => {
      await publisher.publish(ch, { from: "barrier", i: -1 });
      await until(() => got.some((m) => m.from === "barrier"), "the barrier message");
      got.splice(
        got.findIndex((m) => m.from === "barrier"),
        1,
      );
    };

    it("delivers to a subscriber of the same instance, in order, exactly once, as JSON", async () => {
      const { got } = await collect(a);
      const at = new Date(Date.UTC(2030, 0, 1));
      for (let i = 0; i < 20; i++)
        await a.publish(channel, {
          from: "a",
          i,
          at: i === 0 ? at : undefined,
        });
      await until(() => got.length >= 20, "20 messages");
      await barrier(b, got);
      expect(got.map((m) => m.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(got[0]!.at).toBe(at.toISOString());
    });

    it("delivers across instances (processes), in publish order, exactly once", async () => {
      const { got } = await collect(a);
      for (let i = 0; i < 25; i++) await b.publish(channel, { from: "b", i });
      await until(() => got.length >= 25, "25 messages from the other instance");
      await b.publish(channel, { from: "b", i: 25 });
      await until(() => got.length >= 26, "the last message");
      await barrier(a, got);
      await barrier(b, got);
      expect(got.map((m) => m.i)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    });

    it("gives every subscriber on every instance each message once, keeping each publisher's order", async () => {
      const onA = await collect(a);
      const onA2 = await collect(a);
      const onB = await collect(b);
      for (let i = 0; i < 10; i++) {
        await a.publish(channel, { from: "a", i });
        await b.publish(channel, { from: "b", i });
      }
      await a.publish(channel, { from: "barrier", i: -1 });
      await b.publish(channel, { from: "barrier", i: -2 });
      for (const sub of [onA, onA2, onB]) {
        // Each instance sees the other's barrier only through its poller, after every earlier row.
        await until(() => sub.got.filter((m) => m.from === "barrier").length === 2, "both barriers on each subscriber");
        const real = sub.got.filter((m) => m.from !== "barrier");
        expect(real).toHaveLength(20);
        for (const from of ["a", "b"])
          expect(real.filter((m) => m.from === from).map((m) => m.i)).toEqual(Array.from({ length: 10 }, (_, i) => i));
      }
    });

    it("keeps channels apart", async () => {
      const other = `job:${randomUUID()}`;
      const { got } = await collect(a);
      const { got: gotOther } = await collect(a, other);
      await b.publish(other, { from: "b", i: 1 });
      await a.publish(other, { from: "a", i: 2 });
      await barrier(b, got);
      await until(() => gotOther.length >= 2, "both messages on the other channel");
      expect(got).toEqual([]);
      expect(gotOther.map((m) => m.i).sort()).toEqual([1, 2]);
    });

    it("delivers only what is published after subscribe resolves", async () => {
      await b.publish(channel, { from: "b", i: 0 });
      await a.publish(channel, { from: "a", i: 0 });
      const { got } = await collect(a);
      await b.publish(channel, { from: "b", i: 1 });
      await until(() => got.length >= 1, "the message published after subscribing");
      await barrier(b, got);
      await barrier(a, got);
      expect(got).toEqual([{ from: "b", i: 1 }]);
    });

    it("stops delivering to an unsubscribed listener, and keeps serving the others", async () => {
      const first = await collect(a);
      const second = await collect(a);
      await b.publish(channel, { from: "b", i: 1 });
      await until(() => first.got.length === 1 && second.got.length === 1, "both listeners");
      first.unsubscribe();
      first.unsubscribe();
      await b.publish(channel, { from: "b", i: 2 });
      await until(() => second.got.length === 2, "the remaining listener");
      await barrier(b, second.got);
      expect(first.got.map((m) => m.i)).toEqual([1]);
    });

    it("survives a listener that throws", async () => {
      await a.subscribe(channel, () => {
        throw new Error("listener bug");
      });
      const { got } = await collect(a);
      await b.publish(channel, { from: "b", i: 1 });
      await a.publish(channel, { from: "a", i: 2 });
      await until(() => got.length === 2, "both messages despite the throwing listener");
    });

    it("close() ends delivery on that instance only and refuses further use", async () => {
      const onA = await collect(a);
      const onB = await collect(b);
      await a.close();
      await a.close();
      await expect(a.publish(channel, { from: "a", i: 0 })).rejects.toThrow();
      await expect(a.subscribe(channel, () => {})).rejects.toThrow();
      const c = await fx.open();
      try {
        await c.publish(channel, { from: "c", i: 1 });
        await until(() => onB.got.length === 1, "delivery on the open instance");
        await barrier(c, onB.got);
      } finally {
        await c.close();
      }
      expect(onA.got).toEqual([]);
    });
  });
}
