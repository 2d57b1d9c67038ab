import { describe, expect, it } from "vitest";
import {
  extractionOptionsSchema,
  parseExtractionOptions,
  withContactSheetTitle,
  type ExtractionOptions,
} from "./extraction-options.js";
import { jobSnapshotSchema } from "./messages.js";

const limits = { maxFrames: 1000 };
const output = { format: "JPEG", quality: 85, fit: "CONTAIN", allowUpscale: false } as const;
const parsed = (input: unknown): ExtractionOptions => {
  const r = parseExtractionOptions(input, limits);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

describe("extraction options: flat in, one variant per mode out", () => {
  it("each mode keeps its own fields, defaults filled", () => {
    expect(parsed({ intervalSeconds: 2 })).toStrictEqual({ mode: "INTERVAL", intervalSeconds: 2, ...output });
    expect(parsed({ mode: "COUNT", count: 5, width: 320 })).toStrictEqual({
      mode: "COUNT",
      count: 5,
      ...output,
      width: 320,
    });
    expect(parsed({ mode: "TIMESTAMPS", timestamps: [1, 2] })).toStrictEqual({
      mode: "TIMESTAMPS",
      timestamps: [1, 2],
      timestampUnit: "SECONDS",
      ...output,
    });
    expect(parsed({ mode: "KEYFRAMES", maxFrames: 3 })).toStrictEqual({ mode: "KEYFRAMES", ...output, maxFrames: 3 });
    expect(parsed({ mode: "SCENES" })).toStrictEqual({ mode: "SCENES", ...output });
    expect(parsed({ mode: "SCENES", sceneThreshold: 0.4, sceneMinGapSeconds: 1 })).toStrictEqual({
      mode: "SCENES",
      sceneThreshold: 0.4,
      sceneMinGapSeconds: 1,
      ...output,
    });
  });

  it("other modes' fields are checked, then dropped", () => {
    expect(parsed({ mode: "COUNT", count: 5, intervalSeconds: 3, sceneMinGapSeconds: 1 })).toStrictEqual({
      mode: "COUNT",
      count: 5,
      ...output,
    });
    expect(parseExtractionOptions({ mode: "COUNT", count: 5, intervalSeconds: -1 }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["intervalSeconds"], message: "must be greater than zero" }],
    });
  });

  it("every problem at once, each under its field", () => {
    expect(parseExtractionOptions({ mode: "INTERVAL", startSeconds: 5, endSeconds: 2 }, limits)).toEqual({
      ok: false,
      problems: [
        { field: ["intervalSeconds"], message: "is required when mode is INTERVAL" },
        { field: ["endSeconds"], message: "must be greater than startSeconds (the range is empty)" },
      ],
    });
    expect(parseExtractionOptions({ mode: "COUNT" }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["count"], message: "is required when mode is COUNT" }],
    });
    expect(
      parseExtractionOptions({ mode: "TIMESTAMPS", timestampUnit: "PERCENT", timestamps: [50, 101] }, limits),
    ).toEqual({ ok: false, problems: [{ field: ["timestamps"], message: "percentages must be between 0 and 100" }] });
    expect(parseExtractionOptions({ mode: "COUNT", count: 2000, maxFrames: 5000 }, limits)).toEqual({
      ok: false,
      problems: [
        { field: ["maxFrames"], message: "must be at most 1000 (the server's limit)" },
        { field: ["count"], message: "must be at most 1000 (the server's frame limit)" },
      ],
    });
  });

  it("reads records stored in the earlier flat shape", () => {
    const stored = {
      mode: "INTERVAL",
      intervalSeconds: 2.5,
      timestampUnit: "SECONDS",
      sceneMinGapSeconds: 1,
      format: "PNG",
      quality: 85,
      fit: "CONTAIN",
      allowUpscale: false,
    };
    expect(extractionOptionsSchema.parse(stored)).toStrictEqual({
      mode: "INTERVAL",
      intervalSeconds: 2.5,
      ...output,
      format: "PNG",
    });
  });

  it("round-trips through a queued job snapshot (JSON)", () => {
    const options = parsed({ mode: "TIMESTAMPS", timestamps: [10, 50], timestampUnit: "PERCENT", height: 240 });
    const at = new Date(0).toISOString();
    const snapshot = jobSnapshotSchema.parse({
      id: "j",
      ownerId: "o",
      videoId: "v",
      status: "QUEUED",
      progress: 0,
      framesExtracted: 0,
      options,
      attempts: 0,
      error: null,
      result: null,
      createdAt: at,
      startedAt: null,
      finishedAt: null,
      updatedAt: at,
      version: 1,
    });
    expect(jobSnapshotSchema.parse(JSON.parse(JSON.stringify(snapshot))).options).toStrictEqual(options);
  });
});

describe("extraction options: previews and BEST", () => {
  it("BEST is COUNT with the BEST pick, and reads back the same", () => {
    const best = parsed({ mode: "BEST", count: 5 });
    expect(best).toStrictEqual({ mode: "COUNT", count: 5, pick: "BEST", ...output });
    expect(extractionOptionsSchema.parse(best)).toStrictEqual(best);
    expect(parseExtractionOptions({ mode: "BEST" }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["count"], message: "is required when mode is BEST" }],
    });
    expect(parseExtractionOptions({ mode: "BEST", count: 25 }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["count"], message: "must be at most 24 when mode is BEST" }],
    });
  });

  it("each preview gets its defaults; unasked ones stay absent", () => {
    expect(
      parsed({ mode: "KEYFRAMES", includeFrames: false, storyboard: {}, contactSheet: {}, animated: {} }),
    ).toStrictEqual({
      mode: "KEYFRAMES",
      ...output,
      includeFrames: false,
      storyboard: { format: "JPEG", tileWidth: 160, columns: 10, rows: 10, quality: 75 },
      contactSheet: { count: 16, columns: 4, tileWidth: 320, format: "JPEG", quality: 85 },
      animated: { width: 320, clips: 5, clipSeconds: 1, fps: 10, maxBytes: 2 * 1024 * 1024, gif: false },
    });
    expect(parsed({ intervalSeconds: 2 })).not.toHaveProperty("storyboard");
  });

  it("every preview problem under its own path", () => {
    expect(
      parseExtractionOptions(
        {
          mode: "KEYFRAMES",
          storyboard: { tileWidth: 100, format: "PNG" },
          contactSheet: { count: 1, title: " " },
          animated: { width: 640, fromSeconds: 3 },
        },
        limits,
      ),
    ).toEqual({
      ok: false,
      problems: [
        { field: ["storyboard", "format"], message: expect.any(String) },
        { field: ["storyboard", "tileWidth"], message: "must be at least 160" },
        { field: ["contactSheet", "count"], message: "must be at least 2" },
        { field: ["contactSheet", "title"], message: "must not be empty" },
        { field: ["animated", "width"], message: "must be at most 480" },
        { field: ["animated", "toSeconds"], message: "fromSeconds and toSeconds go together" },
      ],
    });
    expect(parseExtractionOptions({ mode: "KEYFRAMES", animated: { fromSeconds: 3 } }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["animated", "toSeconds"], message: "fromSeconds and toSeconds go together" }],
    });
    expect(parseExtractionOptions({ mode: "KEYFRAMES", animated: { fromSeconds: 3, toSeconds: 40 } }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["animated", "toSeconds"], message: "the clip may last at most 30 s" }],
    });
  });

  it("no frames and no previews is nothing to make; no frames with BEST is a contradiction", () => {
    expect(parseExtractionOptions({ mode: "KEYFRAMES", includeFrames: false }, limits)).toEqual({
      ok: false,
      problems: [
        {
          field: ["includeFrames"],
          message: "is false but no storyboard, contactSheet or animated preview is asked for: nothing to make",
        },
      ],
    });
    expect(parseExtractionOptions({ mode: "BEST", count: 3, includeFrames: false, storyboard: {} }, limits)).toEqual({
      ok: false,
      problems: [{ field: ["includeFrames"], message: "is false, but mode BEST is asked for frames" }],
    });
  });

  it("the contact sheet's title defaults to the video's file name, never over one given", () => {
    const o = parsed({ mode: "KEYFRAMES", includeFrames: false, contactSheet: {} });
    expect(withContactSheetTitle(o, "holiday.mp4").contactSheet?.title).toBe("holiday.mp4");
    expect(
      withContactSheetTitle({ ...o, contactSheet: { ...o.contactSheet!, title: "Mine" } }, "x.mp4").contactSheet?.title,
    ).toBe("Mine");
    expect(withContactSheetTitle(parsed({ intervalSeconds: 1 }), "x.mp4")).not.toHaveProperty("contactSheet");
  });
});
