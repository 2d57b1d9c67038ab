import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseExtractionOptions, type ExtractionOptionsInput } from "@vp/domain";
import { extract, ExtractionError, type ExtractResult } from "../src/index.js";
import { expectedFrame, fixture, framePts, readZip, scratch, type ZipEntry } from "./fixtures.js";
import { greyRegion, imageSize, previewFixture, STRETCHES, webpInfo } from "./previews-fixtures.js";
import { parseVtt } from "./webvtt.js";

/** Real ffmpeg on generated videos: each preview end to end through extract(), into a real ZIP. */
const tmp = scratch();
afterAll(() => tmp.dispose());

let n = 0;
async function run(
  video: string,
  input: ExtractionOptionsInput,
): Promise<{ result: ExtractResult; entries: Map<string, Buffer>; manifest: Record<string, any> }> {
  const parsed = parseExtractionOptions(input, { maxFrames: 1000 });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const out = path.join(tmp.dir, `out-${++n}.zip`);
  const result = await extract({
    inputPath: path.isAbsolute(video) ? video : await previewFixture(video),
    options: parsed.value,
    output: createWriteStream(out),
    limits: { maxFrames: 1000, timeoutSeconds: 120 },
  });
  const entries = new Map((await readZip(out)).map((e: ZipEntry) => [e.name, e.data]));
  const manifest = JSON.parse((entries.get("manifest.json") as Buffer).toString()) as Record<string, any>;
  return { result, entries, manifest };
}

const saved = async (name: string, data: Buffer): Promise<string> => {
  const file = path.join(tmp.dir, `${++n}-${name}`);
  await writeFile(file, data);
  return file;
};

const exec = promisify(execFile);

/** The frame one plain accurate seek to t finds (ffmpeg -ss t before -i, first frame kept), its time. */
async function accurateSeek(video: string, t: number): Promise<number> {
  const { stderr } = await exec("ffmpeg", [
    ...["-hide_banner", "-nostdin", "-ss", String(t), "-copyts", "-i", video],
    ...["-frames:v", "1", "-vf", "showinfo", "-f", "null", "-"],
  ]);
  const m = /pts_time:(-?[\d.]+)/.exec(stderr);
  if (!m) throw new Error(`no frame at ${t}: ${stderr}`);
  return Number(m[1]);
}

describe("storyboard", () => {
  it("sheets, a strict WebVTT covering the whole video, the Mux JSON, every tile the exact frame", async () => {
    const { result, entries, manifest } = await run("clip.mp4", {
      storyboard: {},
      includeFrames: false,
      mode: "KEYFRAMES",
    });
    expect(result.strategy).toBe("previews");
    expect(result.frameCount).toBe(0);
    const sb = manifest["previews"].storyboard;
    expect(sb).toMatchObject({
      sheets: ["storyboard.jpg"],
      tiles: 50,
      tileWidth: 160,
      tileHeight: 120,
      columns: 10,
      rows: 5,
    });
    const sheet = await imageSize(await saved("storyboard.jpg", entries.get("storyboard.jpg") as Buffer));
    expect(sheet).toEqual({ width: 1600, height: 600 });

    const vtt = await parseVtt((entries.get("storyboard.vtt") as Buffer).toString());
    expect(vtt.errors).toEqual([]);
    expect(vtt.cues).toHaveLength(50);
    expect(vtt.cues[0]?.startTime).toBe(0);
    expect(vtt.cues.at(-1)?.endTime).toBeCloseTo(12, 3);
    for (const [i, cue] of vtt.cues.entries()) {
      if (i > 0) expect(cue.startTime).toBeCloseTo(vtt.cues[i - 1]?.endTime as number, 6);
      const [x, y, w, h] = (/#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(cue.text) as RegExpExecArray)
        .slice(1)
        .map((v) => Number(v));
      expect(x! + w!).toBeLessThanOrEqual(sheet.width);
      expect(y! + h!).toBeLessThanOrEqual(sheet.height);
    }
    const json = JSON.parse((entries.get("storyboard.json") as Buffer).toString()) as {
      url: string;
      tile_width: number;
      tile_height: number;
      duration: number;
      tiles: { start: number; x: number; y: number }[];
    };
    expect(json).toMatchObject({ url: "storyboard.jpg", tile_width: 160, tile_height: 120, duration: 12 });
    expect(json.tiles).toHaveLength(50);
    expect(json.tiles[11]).toEqual({ start: 2.64, x: 160, y: 120 });
  });

  it("the tile for each interval is the first frame at or after it", async () => {
    const video = await previewFixture("clip.mp4");
    const pts = await framePts(video);
    const { manifest, entries } = await run("clip.mp4", {
      mode: "KEYFRAMES",
      includeFrames: false,
      storyboard: { intervalSeconds: 0.7, format: "WEBP", columns: 4, rows: 2 },
    });
    const sb = manifest["previews"].storyboard;
    // 18 tiles at 0.7 s, 8 per sheet: three sheets.
    expect(sb.sheets).toEqual(["storyboard_001.webp", "storyboard_002.webp", "storyboard_003.webp"]);
    for (const s of sb.sheets as string[]) expect((entries.get(s) as Buffer).toString("latin1", 8, 12)).toBe("WEBP");
    const json = JSON.parse((entries.get("storyboard.json") as Buffer).toString()) as {
      tiles: { start: number; url: string }[];
    };
    expect(json.tiles.map((t) => t.url)).toEqual([
      ...Array(8).fill("storyboard_001.webp"),
      ...Array(8).fill("storyboard_002.webp"),
      ...Array(2).fill("storyboard_003.webp"),
    ]);
    // The tiles' true times (in manifest.json, not in Mux's shape): the frames at or after k·0.7.
    const times = sb.tileTimes as number[];
    expect(times).toHaveLength(18);
    times.forEach((t, k) => expect(t, `tile ${k}`).toBeCloseTo(expectedFrame(pts, k * 0.7), 5));
    const vtt = (entries.get("storyboard.vtt") as Buffer).toString();
    expect(vtt).toContain("00:00:11.900 --> 00:00:12.000\nstoryboard_003.webp#xywh=160,0,160,120");
  });
});

describe("storyboard through the engine's sampling plan", () => {
  it.each([
    ["a tile every 2.3 s", 2.3],
    ["a tile every 0.4 s", 0.4],
  ])("%s, irregular keyframes: each tile is the frame an accurate seek to its time finds", async (_, interval) => {
    // Keyframes at 0, 1.3, 5.4, 7.1, 8.9 and 13 s of 14 s.
    const video = await fixture("irregular.mp4");
    const pts = await framePts(video);
    const { manifest, entries } = await run(video, {
      mode: "KEYFRAMES",
      includeFrames: false,
      storyboard: { intervalSeconds: interval, columns: 5, rows: 4 },
    });
    const sb = manifest["previews"].storyboard;
    // The engine's planner chose (on this small picture a process start outweighs seeking: segments).
    expect(["seek-parallel", "segmented-decode"]).toContain(sb.strategy);
    const count = Math.ceil(14 / interval - 1e-9);
    const times = sb.tileTimes as number[];
    expect(times).toHaveLength(count);
    for (const [k, t] of times.entries()) {
      const at = Math.round(k * interval * 1e6) / 1e6;
      expect(t, `tile ${k} (${at} s)`).toBeCloseTo(await accurateSeek(video, at), 5);
      expect(t, `tile ${k} (${at} s)`).toBeCloseTo(expectedFrame(pts, at), 5);
    }
    const sheets = sb.sheets as string[];
    const rows = Math.min(4, Math.ceil(count / 5));
    expect(sheets).toHaveLength(Math.ceil(count / (5 * rows)));
    for (const name of sheets) {
      const size = await imageSize(await saved(name, entries.get(name) as Buffer));
      expect(size).toEqual({ width: 5 * 160, height: rows * 90 });
    }
    const vtt = await parseVtt((entries.get("storyboard.vtt") as Buffer).toString());
    expect(vtt.errors).toEqual([]);
    expect(vtt.cues).toHaveLength(count);
    expect(vtt.cues.at(-1)?.endTime).toBeCloseTo(14, 3);
  });
});

describe("contact sheet", () => {
  it.each([
    ["sparse frames: a seek each", 4, "seek"],
    ["dense frames: one pass", 36, "decode"],
  ])("%s; times exact, the grid under its header", async (_, count, strategy) => {
    const video = await previewFixture("clip.mp4");
    const pts = await framePts(video);
    const { entries, manifest } = await run("clip.mp4", {
      mode: "KEYFRAMES",
      includeFrames: false,
      contactSheet: { count, columns: 4, tileWidth: 160, title: "Holiday: day 1" },
    });
    const cs = manifest["previews"].contactSheet;
    expect(cs.strategy).toBe(strategy);
    expect(cs.tiles).toHaveLength(count);
    for (const t of cs.tiles as { requestedSeconds: number; timestampSeconds: number }[])
      expect(t.timestampSeconds).toBeCloseTo(expectedFrame(pts, t.requestedSeconds), 5);
    const rows = Math.ceil(count / 4);
    const file = await saved("contact-sheet.jpg", entries.get("contact-sheet.jpg") as Buffer);
    const header = Math.round(Math.max(12, Math.round(160 / 16)) * 4.2);
    expect(await imageSize(file)).toEqual({ width: 4 * 160 + 5 * 6, height: header + rows * 120 + (rows + 1) * 6 });
    // The header holds text: bright glyphs on the dark band.
    const band = await greyRegion(file, 0, 0, 4 * 160 + 5 * 6, header);
    expect(Math.max(...band)).toBeGreaterThan(200);
  });

  it("on a video whose clock starts late, tiles show times on the video's own timeline", async () => {
    const video = await previewFixture("late-start.mp4");
    const { manifest } = await run("late-start.mp4", {
      mode: "KEYFRAMES",
      includeFrames: false,
      contactSheet: { count: 4 },
    });
    const origin = 1.4;
    const pts = (await framePts(video)).map((p) => Math.round((p - origin) * 1e6) / 1e6);
    const tiles = manifest["previews"].contactSheet.tiles as { requestedSeconds: number; timestampSeconds: number }[];
    expect(tiles.length).toBeGreaterThanOrEqual(3);
    for (const t of tiles) expect(t.timestampSeconds).toBeCloseTo(expectedFrame(pts, t.requestedSeconds), 5);
  });

  it("joins sampled frames in the same archive, each with its manifest", async () => {
    const { entries, manifest, result } = await run("clip.mp4", {
      mode: "INTERVAL",
      intervalSeconds: 4,
      contactSheet: { count: 4 },
    });
    expect(result.frameCount).toBe(3);
    expect([...entries.keys()].sort()).toEqual([
      "contact-sheet.jpg",
      "frame_000001.jpg",
      "frame_000002.jpg",
      "frame_000003.jpg",
      "manifest.json",
      "previews.json",
    ]);
    expect(manifest["frames"]).toHaveLength(3);
    expect(JSON.parse((entries.get("previews.json") as Buffer).toString()).previews.contactSheet.tiles).toHaveLength(4);
  });
});

describe("animated preview", () => {
  it("an animated WebP of evenly spread clips, 320 px wide, looping; a GIF when asked", async () => {
    const { entries, manifest } = await run("clip.mp4", {
      mode: "KEYFRAMES",
      includeFrames: false,
      animated: { clips: 4, clipSeconds: 1, fps: 10, gif: true },
    });
    const webp = webpInfo(entries.get("preview.webp") as Buffer);
    expect(webp).toMatchObject({ riffSizeOk: true, animated: true, canvasWidth: 320, canvasHeight: 240 });
    expect(webp.frames).toBeGreaterThanOrEqual(38);
    expect(webp.frames).toBeLessThanOrEqual(42);
    const gif = entries.get("preview.gif") as Buffer;
    expect(gif.toString("latin1", 0, 6)).toBe("GIF89a");
    expect(gif.readUInt16LE(6)).toBe(320);
    const a = manifest["previews"].animated;
    expect(a.clips).toEqual([
      { start: 1, end: 2 },
      { start: 4, end: 5 },
      { start: 7, end: 8 },
      { start: 10, end: 11 },
    ]);
    expect((a.outputs as { bytes: number }[]).every((o) => o.bytes <= 2 * 1024 * 1024)).toBe(true);
  });

  it("one clip of a given range; a tight byte budget lowers quality, rate, then size to fit", async () => {
    const { entries, manifest } = await run("clip.mp4", {
      mode: "KEYFRAMES",
      includeFrames: false,
      animated: { fromSeconds: 2, toSeconds: 5, maxBytes: 40 * 1024 },
    });
    const out = manifest["previews"].animated.outputs[0] as {
      bytes: number;
      attempts: number;
      width: number;
      fps: number;
    };
    const webp = entries.get("preview.webp") as Buffer;
    expect(webp.length).toBe(out.bytes);
    expect(out.bytes).toBeLessThanOrEqual(40 * 1024);
    expect(out.attempts).toBeGreaterThan(1);
    const info = webpInfo(webp);
    expect(info.riffSizeOk).toBe(true);
    expect(info.frames).toBeGreaterThanOrEqual(Math.floor(3 * out.fps) - 1);
    expect(manifest["previews"].animated.clips).toEqual([{ start: 2, end: 5 }]);
  });

  it("a budget nothing fits is refused with a clear error, nothing half made", async () => {
    await expect(
      run("clip.mp4", {
        mode: "KEYFRAMES",
        includeFrames: false,
        animated: { fromSeconds: 0, toSeconds: 12, fps: 30, maxBytes: 16 * 1024 },
      }),
    ).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
      message: expect.stringMatching(/animated\.maxBytes/),
    });
  });
});

describe("best thumbnails", () => {
  const bad = STRETCHES.filter((s) => s.kind !== "good" && s.kind !== "still");
  const still = STRETCHES.find((s) => s.kind === "still")!;
  const inside = (t: number, s: { from: number; to: number }): boolean => t >= s.from && t < s.to;

  it.each([
    ["a sample of one pass", "stretches.mp4", "sample"],
    ["keyframes only", "stretches-gop15.mp4", "keyframes"],
  ])(
    "candidates from %s: no black, flat, faded or blurred frame, one of the still stretch at most",
    async (_, video, source) => {
      for (const count of [3, 4, 6]) {
        const { result, entries, manifest } = await run(video, { mode: "BEST", count, width: 160 });
        expect(result.strategy).toBe("best");
        const frames = manifest["frames"] as {
          file: string;
          timestampSeconds: number;
          scores: Record<string, number>;
        }[];
        expect(frames).toHaveLength(count);
        for (const f of frames) {
          expect(
            bad.filter((s) => inside(f.timestampSeconds, s)),
            `${f.timestampSeconds} s`,
          ).toEqual([]);
          expect(f.scores.score).toBeGreaterThan(0);
          expect(await imageSize(await saved(f.file, entries.get(f.file) as Buffer))).toEqual({
            width: 160,
            height: 120,
          });
        }
        expect(frames.filter((f) => inside(f.timestampSeconds, still)).length).toBeLessThanOrEqual(1);
        // Spread: sorted by time, and where there are enough scenes, one per scene.
        const times = frames.map((f) => f.timestampSeconds);
        expect([...times].sort((a, b) => a - b)).toEqual(times);
        if (count <= 4) expect(new Set(frames.map((f) => f.scores.scene)).size).toBe(count);
        const best = manifest["previews"].best;
        expect(best.candidateSource).toBe(source);
        const reasons = new Set((best.rejected as { reason: string }[]).map((r) => r.reason));
        for (const r of ["BLACK", "BLURRED", "FADE", "UNIFORM", "DUPLICATE"]) expect(reasons, r).toContain(r);
      }
    },
  );

  it("the frames written are the frames scored (exact: the analysed frame's own time)", async () => {
    const video = await previewFixture("stretches.mp4");
    const pts = await framePts(video);
    const { manifest } = await run("stretches.mp4", { mode: "BEST", count: 4 });
    for (const f of manifest["frames"] as { timestampSeconds: number }[])
      expect(pts).toContainEqual(f.timestampSeconds);
  });

  it("a video with nothing worth showing fails clearly", async () => {
    await expect(
      run("stretches.mp4", { mode: "BEST", count: 2, startSeconds: 12, endSeconds: 13.9 }),
    ).rejects.toBeInstanceOf(ExtractionError);
  });
});
