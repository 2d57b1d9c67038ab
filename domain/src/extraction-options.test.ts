import { describe, expect, it } from "vitest";
import { extractionOptionsSchema, parseExtractionOptions, type ExtractionOptions } from "./extraction-options.js";
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
