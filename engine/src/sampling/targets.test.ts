import { describe, expect, it } from "vitest";
import { targetsOf } from "./targets.js";
import { opts, probe } from "./test-probe.js";

describe("targets", () => {
  it("INTERVAL covers [start, end) and always has one frame", () => {
    expect(targetsOf(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe())).toEqual({
      kind: "arithmetic",
      start: 0,
      step: 10,
      count: 60,
    });
    expect(targetsOf(opts({ mode: "INTERVAL", intervalSeconds: 10 }), probe({ durationSeconds: 3 }))).toMatchObject({
      count: 1,
    });
  });
  it("TIMESTAMPS in percent, sorted, duplicates merged", () => {
    expect(
      targetsOf(opts({ mode: "TIMESTAMPS", timestamps: [50, 10, 50], timestampUnit: "PERCENT" }), probe()),
    ).toEqual({ kind: "list", times: [60, 300] });
  });
});
