import { describe, expect, it } from "vitest";
import { opts, probe } from "./test-probe.js";
import { outputPixelsProblem, validatePlan } from "./validate-plan.js";

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
  it("output pixels per frame: the size the engine would produce, named on width or height", () => {
    const max = 3840 * 2160;
    const big = { ...limits, maxOutputPixels: max };
    // The attack: 8192x8192 upscaled from a small source.
    const r = validatePlan(
      opts({ mode: "COUNT", count: 4, width: 8192, height: 8192, fit: "FILL", allowUpscale: true }),
      probe(),
      big,
    );
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          field: ["width"],
          message:
            "frames of 8192x8192 (67.1 MP) are more than the limit of 8294400 pixels per frame (8.3 MP); ask for a smaller width or height",
        },
      ],
    });
    // Without upscaling the same request is the source's own size: within the limit.
    expect(validatePlan(opts({ mode: "COUNT", count: 4, width: 8192, height: 8192 }), probe(), big)).toEqual({
      ok: true,
    });
    // Only a height asked for: the problem is on height.
    expect(
      outputPixelsProblem(opts({ mode: "KEYFRAMES", height: 8000, allowUpscale: true }), probe(), max)?.field,
    ).toEqual(["height"]);
    // No limit configured: nothing to say.
    expect(outputPixelsProblem(opts({ mode: "KEYFRAMES", width: 8192, allowUpscale: true }), probe(), undefined)).toBe(
      null,
    );
  });
  it("a source larger than the output limit needs a size: the message says which one fits", () => {
    const p = probe({ width: 7680, height: 4320 });
    const problem = outputPixelsProblem(opts({ mode: "KEYFRAMES" }), p, 3840 * 2160);
    expect(problem?.field).toEqual(["width"]);
    expect(problem?.message).toBe(
      "frames at the video's own size, 7680x4320 (33.2 MP), are more than the limit of 8294400 pixels per frame (8.3 MP); ask for a width of at most 3840 or a height of at most 2160",
    );
    expect(outputPixelsProblem(opts({ mode: "KEYFRAMES", width: 3840 }), p, 3840 * 2160)).toBe(null);
    expect(outputPixelsProblem(opts({ mode: "KEYFRAMES", height: 2160 }), p, 3840 * 2160)).toBe(null);
  });
});
