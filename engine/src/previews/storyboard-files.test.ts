import { describe, expect, it } from "vitest";
import { storyboardOptionsSchema } from "@vp/domain";
import { planStoryboard, STORYBOARD_MAX_TILES, STORYBOARD_MIN_TILES } from "./layout.js";
import { layTiles, storyboardJson, storyboardVtt, vttTime } from "./storyboard-files.js";
import { parseVtt } from "../../test/webvtt.js";

const video = { width: 1280, height: 720, frameRate: 30 };
const defaults = storyboardOptionsSchema.parse({});

/** Frames as a 30 fps decoder keeps them: the first at or after each target. */
const keptFrames = (start: number, interval: number, count: number, fps = 30): number[] =>
  Array.from({ length: count }, (_, k) => Math.ceil((start + k * interval) * fps - 1e-9) / fps);

describe("storyboard interval and grid", () => {
  it.each([
    [6, 50],
    [60, 50],
    [600, 120],
    [3600, 200],
    [36_000, 200],
  ])("a %d s video gets %d tiles", (seconds, tiles) => {
    const plan = planStoryboard(defaults, { start: 0, end: seconds }, video);
    expect(plan.count).toBe(tiles);
    expect(plan.count).toBeGreaterThanOrEqual(STORYBOARD_MIN_TILES);
    expect(plan.count).toBeLessThanOrEqual(STORYBOARD_MAX_TILES);
    expect(plan.tileHeight).toBe(90);
  });

  it("never asks for more tiles than the video has frames", () => {
    expect(planStoryboard(defaults, { start: 0, end: 1 }, { ...video, frameRate: 25 }).count).toBe(25);
  });

  it("an interval asked for is kept, tiles beyond a sheet start another", () => {
    const plan = planStoryboard({ ...defaults, intervalSeconds: 2 }, { start: 0, end: 600 }, video);
    expect(plan).toMatchObject({ intervalSeconds: 2, count: 300, columns: 10, rows: 10, sheets: 3 });
  });

  it("keeps the aspect ratio with even heights (portrait too)", () => {
    expect(
      planStoryboard(
        { ...defaults, tileWidth: 320 },
        { start: 0, end: 60 },
        { width: 720, height: 1280, frameRate: 30 },
      ).tileHeight,
    ).toBe(568);
  });
});

describe("storyboard.vtt and storyboard.json", () => {
  it.each([
    ["a short video", 7.4, {}],
    ["a long one on several sheets", 900, { intervalSeconds: 3, rows: 5 }],
    ["an odd tile size", 61, { tileWidth: 213 }],
  ])(
    "%s: parses strictly, cues cover the whole span in order, every rectangle inside its sheet",
    async (_, seconds, o) => {
      const opts = { ...defaults, ...o };
      const plan = planStoryboard(opts, { start: 0, end: seconds }, video);
      const tiles = layTiles(plan, 0, seconds, keptFrames(0, plan.intervalSeconds, plan.count), "jpg");
      const vtt = storyboardVtt(tiles, plan);
      const parsed = await parseVtt(vtt);
      expect(parsed.errors).toEqual([]);
      expect(parsed.cues).toHaveLength(tiles.length);
      expect(parsed.cues[0]?.startTime).toBe(0);
      expect(parsed.cues.at(-1)?.endTime).toBeCloseTo(seconds, 3);
      const sheetW = plan.columns * plan.tileWidth;
      const sheetH = plan.rows * plan.tileHeight;
      parsed.cues.forEach((cue, i) => {
        if (i > 0) expect(cue.startTime).toBe(parsed.cues[i - 1]?.endTime);
        expect(cue.endTime).toBeGreaterThan(cue.startTime);
        const m = /^(storyboard(?:_\d{3})?\.jpg)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(cue.text);
        expect(m, cue.text).not.toBeNull();
        const [x, y, w, h] = (m as RegExpExecArray).slice(2).map(Number) as [number, number, number, number];
        expect([w, h]).toEqual([plan.tileWidth, plan.tileHeight]);
        expect(x + w).toBeLessThanOrEqual(sheetW);
        expect(y + h).toBeLessThanOrEqual(sheetH);
      });
      const json = storyboardJson(tiles, plan, seconds) as {
        tiles: { start: number; x: number; y: number; url?: string }[];
      };
      expect(json).toMatchObject({
        url: tiles[0]?.sheet,
        tile_width: plan.tileWidth,
        tile_height: plan.tileHeight,
        duration: seconds,
      });
      expect(json.tiles.map((t) => t.start)).toEqual(parsed.cues.map((c) => Math.round(c.startTime * 1000) / 1000));
      expect(json.tiles.every((t) => plan.sheets > 1 === (t.url !== undefined))).toBe(true);
    },
  );

  it("a frame that stands for several targets (a pause in the recording) covers them all", () => {
    const plan = planStoryboard({ ...defaults, intervalSeconds: 1 }, { start: 0, end: 5 }, video);
    // Frames at 0, 1, then nothing until 3.5 (the recorder paused), then 4.
    const tiles = layTiles(plan, 0, 5, [0, 1, 3.5, 4], "jpg");
    expect(tiles.map((t) => [t.start, t.end])).toEqual([
      [0, 1],
      [1, 3],
      [3, 4],
      [4, 5],
    ]);
  });

  it("writes WebVTT times with hours and exact milliseconds", () => {
    expect(vttTime(0)).toBe("00:00:00.000");
    expect(vttTime(3725.0405)).toBe("01:02:05.041");
    expect(vttTime(59.9996)).toBe("00:01:00.000");
  });
});
