import { createWriteStream } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import {
  extract,
  ExtractionError,
  probe,
  type ExtractionProgress,
  type ExtractResult,
  type ManifestFrame,
} from "../src/index.js";
import {
  childFfmpegs,
  expectedFrame,
  fixture,
  framePts,
  imageInfo,
  readZip,
  scratch,
  type ZipEntry,
} from "./fixtures.js";

const limits = { maxFrames: 500, timeoutSeconds: 60, concurrency: 2 };
let tmp: ReturnType<typeof scratch>;
let cfr: string;

beforeAll(async () => {
  tmp = scratch();
  cfr = await fixture("cfr.mp4");
});
afterAll(() => tmp.dispose());

async function run(
  input: string,
  opts: ExtractionOptionsInput,
  extra: { maxFrames?: number; concurrency?: number; onProgress?: (p: ExtractionProgress) => void } = {},
): Promise<{
  result: ExtractResult;
  entries: ZipEntry[];
  manifest: { strategy: string; frames: ManifestFrame[]; video: { width: number } };
}> {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}.zip`);
  const result = await extract({
    inputPath: input,
    options: extractionOptionsSchema.parse(opts),
    output: createWriteStream(out),
    limits: {
      ...limits,
      maxFrames: extra.maxFrames ?? limits.maxFrames,
      concurrency: extra.concurrency ?? limits.concurrency,
    },
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  });
  const entries = await readZip(out);
  const manifestEntry = entries.find((e) => e.name === "manifest.json");
  if (!manifestEntry) throw new Error("no manifest");
  return { result, entries, manifest: JSON.parse(manifestEntry.data.toString("utf8")) };
}

const extractError = async (p: Promise<unknown>): Promise<ExtractionError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  return err as ExtractionError;
};

/** Every frame is the first at or after its requested time, per ffprobe's own frame list. */
async function expectFrameExact(file: string, frames: readonly ManifestFrame[]): Promise<void> {
  const pts = await framePts(file);
  for (const f of frames) {
    expect(f.requestedSeconds).not.toBeNull();
    expect(f.timestampSeconds).toBeCloseTo(expectedFrame(pts, f.requestedSeconds as number), 5);
  }
}

describe("extract: INTERVAL, JPEG, streamed ZIP", () => {
  it("writes frames in time order, stored, with a manifest of true timestamps", async () => {
    const { result, entries, manifest } = await run(cfr, { mode: "INTERVAL", intervalSeconds: 1 });
    expect(entries.map((e) => e.name)).toEqual([
      "frame_000001.jpg",
      "frame_000002.jpg",
      "frame_000003.jpg",
      "frame_000004.jpg",
      "frame_000005.jpg",
      "manifest.json",
    ]);
    expect(entries.every((e) => e.compressionMethod === 0)).toBe(true);
    expect(result.frameCount).toBe(5);
    expect(manifest.frames.map((f) => f.timestampSeconds)).toEqual([0, 1, 2, 3, 4]);
    expect(manifest.strategy).toBe(result.strategy);
    expect(manifest.video.width).toBe(320);
    const info = await imageInfo(entries[2]?.data as Buffer, tmp.dir);
    expect(info).toEqual({ width: 320, height: 240, codec: "mjpeg" });
  });

  it("is frame-exact for an interval that falls between frames (0.45 s at 30 fps)", async () => {
    const { manifest } = await run(cfr, { mode: "INTERVAL", intervalSeconds: 0.45 });
    expect(manifest.frames).toHaveLength(12);
    await expectFrameExact(cfr, manifest.frames);
    expect(manifest.frames[1]?.timestampSeconds).toBeCloseTo(14 / 30, 5); // 0.45 -> frame 14 (0.4667), not 0.4333
  });

  it("the same frames whichever strategy runs (sparse seeks vs segmented decode)", async () => {
    const dense = await run(cfr, { mode: "INTERVAL", intervalSeconds: 0.5 });
    expect(dense.result.strategy).toBe("segmented-decode");
    const sparse = await run(cfr, {
      mode: "TIMESTAMPS",
      timestamps: dense.manifest.frames.map((f) => f.requestedSeconds as number),
    });
    expect(sparse.result.strategy).toBe("seek-parallel");
    expect(sparse.manifest.frames.map((f) => f.timestampSeconds)).toEqual(
      dense.manifest.frames.map((f) => f.timestampSeconds),
    );
    // Same decoded picture, same encoder settings: identical bytes.
    expect(sparse.entries[3]?.data.equals(dense.entries[3]?.data as Buffer)).toBe(true);
  });

  it("a retried job produces the same archive", async () => {
    const a = await run(cfr, { mode: "INTERVAL", intervalSeconds: 2 });
    const b = await run(cfr, { mode: "INTERVAL", intervalSeconds: 2 });
    expect(b.entries.map((e) => [e.name, e.data.length])).toEqual(a.entries.map((e) => [e.name, e.data.length]));
    expect(b.entries.every((e, i) => e.data.equals(a.entries[i]?.data as Buffer))).toBe(true);
  });

  it("a video shorter than the interval still yields one frame", async () => {
    const { manifest } = await run(await fixture("short.mp4"), { mode: "INTERVAL", intervalSeconds: 10 });
    expect(manifest.frames.map((f) => f.timestampSeconds)).toEqual([0]);
  });

  it("reports progress clamped, monotonic, ending at 1", async () => {
    const seen: ExtractionProgress[] = [];
    await run(cfr, { mode: "INTERVAL", intervalSeconds: 0.25 }, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ progress: 1, framesExtracted: 20 });
    for (let i = 1; i < seen.length; i++)
      expect((seen[i] as ExtractionProgress).progress).toBeGreaterThan((seen[i - 1] as ExtractionProgress).progress);
    expect(seen.every((p) => p.progress >= 0 && p.progress <= 1)).toBe(true);
  });
});

describe("extract: modes", () => {
  it("COUNT spreads N frames evenly over the range", async () => {
    const { manifest } = await run(cfr, { mode: "COUNT", count: 7 });
    expect(manifest.frames.map((f) => f.requestedSeconds)).toEqual([
      0, 0.714286, 1.428571, 2.142857, 2.857143, 3.571429, 4.285714,
    ]);
    await expectFrameExact(cfr, manifest.frames);
  });

  it("TIMESTAMPS in seconds, sorted and exact; a time after the last frame gets the last frame", async () => {
    const { manifest } = await run(cfr, { mode: "TIMESTAMPS", timestamps: [3.01, 0.5, 4.99] });
    expect(manifest.frames.map((f) => f.requestedSeconds)).toEqual([0.5, 3.01, 4.99]);
    expect(manifest.frames.map((f) => f.timestampSeconds)).toEqual([0.5, 3.033333, 4.966667]);
  });

  it("TIMESTAMPS in percent of the duration", async () => {
    const { manifest } = await run(cfr, { mode: "TIMESTAMPS", timestamps: [0, 50, 100], timestampUnit: "PERCENT" });
    expect(manifest.frames.map((f) => f.timestampSeconds)).toEqual([0, 2.5, 4.966667]);
  });

  it("KEYFRAMES returns the encoder's keyframes (every 2 s here)", async () => {
    const { result, manifest } = await run(cfr, { mode: "KEYFRAMES" });
    expect(result.strategy).toBe("keyframes");
    expect(manifest.frames.map((f) => f.timestampSeconds)).toEqual([0, 2, 4]);
    expect(manifest.frames.every((f) => f.requestedSeconds === null)).toBe(true);
  });

  it("SCENES finds the cuts; a high threshold or a long minimum gap finds fewer", async () => {
    const file = await fixture("scenes.mp4");
    const all = await run(file, { mode: "SCENES" });
    expect(all.result.strategy).toBe("scenes");
    expect(all.manifest.frames.map((f) => f.timestampSeconds)).toEqual([0, 2, 4]);
    const gapped = await run(file, { mode: "SCENES", sceneMinGapSeconds: 3 });
    expect(gapped.manifest.frames.map((f) => f.timestampSeconds)).toEqual([0, 4]);
  });

  it("maxFrames caps KEYFRAMES", async () => {
    const { manifest } = await run(cfr, { mode: "KEYFRAMES", maxFrames: 2 });
    expect(manifest.frames).toHaveLength(2);
  });

  it("a range limits the frames to [start, end)", async () => {
    const { manifest } = await run(cfr, { mode: "INTERVAL", intervalSeconds: 0.5, startSeconds: 1.2, endSeconds: 3 });
    expect(manifest.frames.map((f) => f.requestedSeconds)).toEqual([1.2, 1.7, 2.2, 2.7]);
    await expectFrameExact(cfr, manifest.frames);
  });

  it("variable frame rate: each frame is the first at or after its time", async () => {
    const file = await fixture("vfr.mp4");
    expect((await probe(file)).variableFrameRate).toBe(true);
    const { manifest } = await run(file, { mode: "INTERVAL", intervalSeconds: 0.25 });
    await expectFrameExact(file, manifest.frames);
    // In the 10 fps part 2.25 has no frame of its own: the next one (2.3) answers it.
    expect(manifest.frames.find((f) => f.requestedSeconds === 2.25)?.timestampSeconds).toBeCloseTo(2.3, 5);
    // The range ends at 2.3: the frame answering 2.25 lies at the end, still found.
    const ranged = await run(file, { mode: "INTERVAL", intervalSeconds: 0.25, endSeconds: 2.3 });
    expect(ranged.manifest.frames.at(-1)).toMatchObject({ requestedSeconds: 2.25, timestampSeconds: 2.3 });
  });
});

describe("extract: a container without a seek index (MPEG-TS, starting at 1.47 s)", () => {
  it.each<[ExtractionOptionsInput, string]>([
    [{ mode: "TIMESTAMPS", timestamps: [0.5, 2.5, 3.01, 4.5] }, "seek-parallel"],
    [{ mode: "INTERVAL", intervalSeconds: 0.5 }, "segmented-decode"],
  ])("%j: still the first frame at or after each time", async (opts, strategy) => {
    const file = await fixture("cfr.ts");
    const { timeOrigin } = await probe(file);
    expect(timeOrigin).toBeCloseTo(1.466667, 5);
    const { result, manifest } = await run(file, opts);
    expect(result.strategy).toBe(strategy);
    const pts = (await framePts(file)).map((p) => p - (timeOrigin as number));
    for (const f of manifest.frames)
      expect(f.timestampSeconds).toBeCloseTo(expectedFrame(pts, f.requestedSeconds as number), 5);
    expect(manifest.frames.map((f) => f.timestampSeconds).slice(0, 3)).toEqual(
      strategy === "seek-parallel" ? [0.5, 2.5, 3.033333] : [0, 0.5, 1],
    );
  });
});

describe("extract: formats and sizes", () => {
  it.each([
    ["JPEG", "mjpeg", ".jpg"],
    ["PNG", "png", ".png"],
    ["WEBP", "webp", ".webp"],
  ] as const)("%s frames decode as %s", async (format, codec, ext) => {
    const { entries } = await run(cfr, { mode: "COUNT", count: 3, format, quality: 60 });
    const frames = entries.filter((e) => e.name !== "manifest.json");
    expect(frames).toHaveLength(3);
    for (const f of frames) {
      expect(f.name.endsWith(ext)).toBe(true);
      expect(await imageInfo(f.data, tmp.dir, `x${ext}`)).toMatchObject({ codec, width: 320, height: 240 });
    }
  });

  it("quality is pinned: a lower quality gives smaller JPEGs", async () => {
    const hi = await run(cfr, { mode: "COUNT", count: 1, quality: 95 });
    const lo = await run(cfr, { mode: "COUNT", count: 1, quality: 20 });
    expect((lo.entries[0] as ZipEntry).data.length).toBeLessThan((hi.entries[0] as ZipEntry).data.length * 0.6);
  });

  it.each([
    [{ width: 160 }, 160, 120],
    [{ width: 200, height: 200, fit: "CONTAIN" }, 200, 150],
    [{ width: 200, height: 200, fit: "COVER" }, 200, 200],
    [{ width: 100, height: 50, fit: "FILL" }, 100, 50],
    [{ width: 640 }, 320, 240],
    [{ width: 640, allowUpscale: true }, 640, 480],
  ] as const)("resize %j -> %ix%i", async (size, w, h) => {
    const { entries } = await run(cfr, { mode: "COUNT", count: 1, ...size });
    expect(await imageInfo((entries[0] as ZipEntry).data, tmp.dir)).toMatchObject({ width: w, height: h });
  });

  it("odd dimensions (321x241) in every format", async () => {
    const file = await fixture("odd.mp4");
    for (const format of ["JPEG", "PNG", "WEBP"] as const) {
      const { entries } = await run(file, { mode: "COUNT", count: 1, format });
      expect(await imageInfo((entries[0] as ZipEntry).data, tmp.dir)).toMatchObject({ width: 321, height: 241 });
    }
  });

  it("rotation metadata: frames come out upright (display size)", async () => {
    const file = await fixture("rotated.mp4");
    const p = await probe(file);
    expect(p.rotation).toBe(270);
    expect([p.width, p.height]).toEqual([240, 320]);
    const { entries } = await run(file, { mode: "COUNT", count: 2, width: 120 });
    expect(await imageInfo((entries[0] as ZipEntry).data, tmp.dir)).toMatchObject({ width: 120, height: 160 });
  });
});

describe("extract: failures are classified", () => {
  it.each([
    ["zero-byte file", () => tmp.file("empty.mp4", ""), "INPUT_EMPTY"],
    ["missing file", () => path.join(tmp.dir, "missing.mp4"), "INPUT_NOT_FOUND"],
    ["audio-only file", () => fixture("audio.m4a"), "NO_VIDEO_STREAM"],
    ["text file", () => tmp.file("notes.mp4", "hello, this is not a video\n"), "UNSAFE_INPUT"],
    [
      "random bytes",
      () => tmp.file("noise.mp4", Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))),
      "INPUT_CORRUPT",
    ],
  ] as const)("%s -> %s", async (_label, make, code) => {
    const file = await make();
    expect((await extractError(probe(file))).code).toBe(code);
    expect((await extractError(run(file, { mode: "INTERVAL", intervalSeconds: 1 }))).code).toBe(code);
  });

  it("truncated file -> INPUT_CORRUPT, not a short archive", async () => {
    const { readFileSync } = await import("node:fs");
    const whole = readFileSync(cfr);
    const cut = tmp.file("cut.mp4", whole.subarray(0, Math.floor(whole.length * 0.6)));
    const err = await extractError(run(cut, { mode: "INTERVAL", intervalSeconds: 1 }));
    expect(err.code).toBe("INPUT_CORRUPT");
    expect(err.retryable).toBe(false);
    const err2 = await extractError(run(cut, { mode: "TIMESTAMPS", timestamps: [4.5] }));
    expect(err2.code).toBe("INPUT_CORRUPT");
  });

  it("an HLS playlist or concat script pointing at a local video is refused before anything is read", async () => {
    const { statSync } = await import("node:fs");
    const before = statSync(cfr).atimeMs;
    const m3u8 = tmp.file("list.m3u8", `#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\nfile://${cfr}\n#EXT-X-ENDLIST\n`);
    const disguised = tmp.file("upload.mp4", `#EXTM3U\n#EXTINF:5,\n${cfr}\n`);
    const concat = tmp.file("upload2.mp4", `ffconcat version 1.0\nfile '${cfr}'\n`);
    for (const f of [m3u8, disguised, concat]) {
      const err = await extractError(run(f, { mode: "INTERVAL", intervalSeconds: 1 }));
      expect(err.code).toBe("UNSAFE_INPUT");
    }
    expect(statSync(cfr).atimeMs).toBe(before);
    expect(await childFfmpegs()).toEqual([]);
  });

  it("an output that fails with ENOSPC -> OUT_OF_DISK (retryable)", async () => {
    const full = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
      },
    });
    const err = await extractError(
      extract({
        inputPath: cfr,
        options: extractionOptionsSchema.parse({ mode: "COUNT", count: 2 }),
        output: full,
        limits,
      }),
    );
    expect([err.code, err.retryable]).toEqual(["OUT_OF_DISK", true]);
  });

  it("a probe made earlier, then the file disappears -> INPUT_NOT_FOUND", async () => {
    const { copyFileSync, rmSync } = await import("node:fs");
    const copy = path.join(tmp.dir, "gone.mp4");
    copyFileSync(cfr, copy);
    const probed = await probe(copy);
    rmSync(copy);
    const err = await extractError(
      extract({
        inputPath: copy,
        probe: probed,
        options: extractionOptionsSchema.parse({ mode: "COUNT", count: 2 }),
        output: new Writable({ write: (_c, _e, cb) => cb() }),
        limits,
      }),
    );
    expect(err.code).toBe("INPUT_NOT_FOUND");
  });

  it("options the video cannot satisfy -> INVALID_OPTIONS", async () => {
    const err = await extractError(run(cfr, { mode: "TIMESTAMPS", timestamps: [9] }));
    expect(err.code).toBe("INVALID_OPTIONS");
    expect(err.message).toContain("timestamps.0");
  });
});

describe("extract: cancellation and time limit", () => {
  /** An output that accepts 64 KiB and then never drains: extraction blocks on backpressure. */
  const stuckOutput = (): Writable => {
    let taken = 0;
    return new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        taken += chunk.length;
        if (taken < 64 * 1024) cb();
      },
    });
  };

  it("abort kills ffmpeg promptly, rejects CANCELLED and fails the output", async () => {
    const controller = new AbortController();
    const output = stuckOutput();
    const started = extract({
      inputPath: cfr,
      options: extractionOptionsSchema.parse({ mode: "INTERVAL", intervalSeconds: 0.1, format: "PNG" }),
      output,
      signal: controller.signal,
      limits,
      onProgress: () => controller.abort(),
    });
    const err = await extractError(started);
    expect(err.code).toBe("CANCELLED");
    expect(output.destroyed).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await childFfmpegs()).toEqual([]);
  });

  it("an already aborted signal never starts ffmpeg", async () => {
    const err = await extractError(
      extract({
        inputPath: cfr,
        options: extractionOptionsSchema.parse({ mode: "INTERVAL", intervalSeconds: 1 }),
        output: stuckOutput(),
        signal: AbortSignal.abort(),
        limits,
      }),
    );
    expect(err.code).toBe("CANCELLED");
  });

  it("the time limit -> TIMEOUT (retryable)", async () => {
    const err = await extractError(
      extract({
        inputPath: cfr,
        options: extractionOptionsSchema.parse({ mode: "INTERVAL", intervalSeconds: 0.1, format: "PNG" }),
        output: stuckOutput(),
        limits: { ...limits, timeoutSeconds: 0.5 },
      }),
    );
    expect(err.code).toBe("TIMEOUT");
    expect(err.retryable).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await childFfmpegs()).toEqual([]);
  });
});
