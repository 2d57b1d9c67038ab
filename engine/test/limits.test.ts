import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import { extract, ExtractionError, probe, type ExtractRequest } from "../src/index.js";
import { childFfmpegs, fixture, scratch } from "./fixtures.js";

/**
 * Bounded work per job, on real ffmpeg: a source too large is refused from its headers, an archive
 * stops before its byte limit, a decoder making no progress is stopped, and a container that
 * declares far more than it holds ends in seconds.
 */
const limits = { maxFrames: 1000, timeoutSeconds: 120, concurrency: 2 };
let tmp: ReturnType<typeof scratch>;
let cfr: string;

beforeAll(async () => {
  tmp = scratch();
  cfr = await fixture("cfr.mp4");
});
afterAll(() => tmp.dispose());

const failure = async (p: Promise<unknown>): Promise<ExtractionError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  return err as ExtractionError;
};

const run = (input: string, o: ExtractionOptionsInput, over: Partial<ExtractRequest> = {}) =>
  extract({
    inputPath: input,
    options: extractionOptionsSchema.parse(o),
    output: createWriteStream(path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}.zip`)),
    limits,
    ...over,
  });

/**
 * A 10 s Matroska file whose Segment Info declares 10,000 s: ffmpeg writes the Duration element
 * (EBML id 0x4489, an 8-byte big-endian float of milliseconds); we overwrite its value.
 */
async function lyingFile(): Promise<string> {
  const real = path.join(tmp.dir, "real10.mkv");
  await promisify(execFile)("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "10"],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "60", real],
  ]);
  const bytes = await readFile(real);
  const at = bytes.indexOf(Buffer.from([0x44, 0x89, 0x88]));
  expect(at).toBeGreaterThan(0);
  expect(bytes.readDoubleBE(at + 3)).toBe(10_000);
  bytes.writeDoubleBE(10_000_000, at + 3);
  const liar = path.join(tmp.dir, "liar.mkv");
  await writeFile(liar, bytes);
  return liar;
}

describe("limits per job", () => {
  it("a container claiming 10,000 s that holds 10 s fails precisely in seconds (was 99 s)", async () => {
    const liar = await lyingFile();
    const p = await probe(liar);
    expect(p.durationSeconds).toBe(10_000);
    const started = performance.now();
    // 1000 targets, one every 10 s: all but the first lie past the real end.
    const err = await failure(run(liar, { mode: "INTERVAL", intervalSeconds: 10 }, { probe: p }));
    const seconds = (performance.now() - started) / 1000;
    expect(err.code).toBe("INPUT_CORRUPT");
    expect(err.message).toContain("ends early");
    expect(seconds).toBeLessThan(15);
    // Dense sampling (segmented decode) over the part that is not there ends as quickly.
    const denseStarted = performance.now();
    const dense = await failure(run(liar, { mode: "INTERVAL", intervalSeconds: 1.5, endSeconds: 1500 }, { probe: p }));
    expect(dense.code).toBe("INPUT_CORRUPT");
    expect((performance.now() - denseStarted) / 1000).toBeLessThan(15);
  });

  it("stops before the archive crosses its byte limit: ARCHIVE_TOO_LARGE, output failed, no ffmpeg left", async () => {
    const out = path.join(tmp.dir, "big.zip");
    const output = createWriteStream(out);
    const err = await failure(
      run(
        cfr,
        { mode: "INTERVAL", intervalSeconds: 0.5, format: "PNG" },
        { output, limits: { ...limits, maxArchiveBytes: 50_000 } },
      ),
    );
    expect(err.code).toBe("ARCHIVE_TOO_LARGE");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("limit of 50000 bytes");
    expect(output.destroyed).toBe(true);
    expect(output.bytesWritten).toBeLessThanOrEqual(50_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await childFfmpegs()).toEqual([]);
  });

  it("no frame for the stall limit -> STALLED (retryable), ffmpeg killed", async () => {
    // An output that takes 64 KiB and then never drains: no further frame can reach the archive.
    let taken = 0;
    const output = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        taken += chunk.length;
        if (taken < 64 * 1024) cb();
      },
    });
    const started = performance.now();
    const err = await failure(
      run(
        cfr,
        { mode: "INTERVAL", intervalSeconds: 0.1, format: "PNG" },
        { output, limits: { ...limits, stallSeconds: 1 } },
      ),
    );
    expect(err.code).toBe("STALLED");
    expect(err.retryable).toBe(true);
    expect(err.message).toContain("No frame was produced for 1 s");
    expect((performance.now() - started) / 1000).toBeLessThan(10);
    await new Promise((r) => setTimeout(r, 400));
    expect(await childFfmpegs()).toEqual([]);
  });

  it("a source over the pixel limit is refused by the probe and by extract, before any decoding", async () => {
    const err = await failure(probe(cfr, { maxSourcePixels: 320 * 240 - 1 }));
    expect(err.code).toBe("SOURCE_TOO_LARGE");
    expect(err.message).toContain("320x240");
    const p = await probe(cfr, { maxSourcePixels: 320 * 240 });
    const refused = await failure(
      run(cfr, { mode: "COUNT", count: 2 }, { probe: p, limits: { ...limits, maxSourcePixels: 1000 } }),
    );
    expect(refused.code).toBe("SOURCE_TOO_LARGE");
  });

  it("an output frame over the pixel limit -> INVALID_OPTIONS naming width and the limit", async () => {
    const err = await failure(
      run(
        cfr,
        { mode: "COUNT", count: 2, width: 8192, height: 8192, fit: "FILL", allowUpscale: true },
        { limits: { ...limits, maxOutputPixels: 3840 * 2160 } },
      ),
    );
    expect(err.code).toBe("INVALID_OPTIONS");
    expect(err.message).toContain("width: frames of 8192x8192 (67.1 MP) are more than the limit of 8294400 pixels");
  });
});
