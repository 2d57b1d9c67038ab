import { describe, expect, it } from "vitest";
import { opts, probe } from "./test-probe.js";
import { validatePlan } from "./validate-plan.js";

const limits = { maxFrames: 1000 };

describe("validatePlan", () => {
  it("accepts a plan within the video and the budget", () => {
    expect(validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 1 }), probe(), limits)).toEqual({ ok: true });
  });
  it("names each problem precisely", () => {
    const r = validatePlan(
      opts({ mode: "TIMESTAMPS", timestamps: [10, 700, 5], startSeconds: 8, endSeconds: 100 }),
      probe(),
      limits,
    );
    expect(r).toEqual({
      ok: false,
      problems: [
        { field: ["timestamps", "1"], message: "700 s is beyond the end of the video (600 s)" },
        { field: ["timestamps", "2"], message: "5 s is before startSeconds (8 s)" },
      ],
    });
  });
  it("range beyond the duration, empty range", () => {
    expect(validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 1, startSeconds: 600 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["startSeconds"], message: "600 s is at or beyond the end of the video (600 s)" }],
    });
    expect(validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 1, endSeconds: 900 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["endSeconds"], message: "900 s is beyond the end of the video (600 s)" }],
    });
  });
  it("a frame budget over maxFrames (the request's or the server's)", () => {
    const r = validatePlan(opts({ mode: "INTERVAL", intervalSeconds: 0.5 }), probe(), limits);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual([["intervalSeconds"]]);
    expect(r.ok ? "" : r.problems[0]?.message).toContain("makes 1200 frames, more than the limit of 1000");
    expect(validatePlan(opts({ mode: "COUNT", count: 50, maxFrames: 20 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["count"], message: "50 frames is more than the limit of 20" }],
    });
    expect(validatePlan(opts({ mode: "KEYFRAMES", maxFrames: 5000 }), probe(), limits)).toEqual({
      ok: false,
      problems: [{ field: ["maxFrames"], message: "must be at most 1000 (the server's limit)" }],
    });
  });
});
