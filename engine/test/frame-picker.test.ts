import { chmodSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput } from "@vp/domain";
import { compilePicker, pickerSources, resolvePicker } from "../src/native/picker-binary.js";
import type { ExtractResult } from "../src/types.js";
import { extractImages, type ExtractedImages } from "./extract-images.js";
import { fixture, scratch } from "./fixtures.js";

/**
 * The frame picker (engine/native/pick-frames.c) against the command line alone: the same frames,
 * byte for byte, and a failing picker costs speed only. The codec matrix (codec-matrix.test.ts)
 * runs every codec and mode through it too.
 */
const tmp = scratch();
let real: string;

beforeAll(async () => {
  const found = await resolvePicker();
  if (!found) throw new Error("no frame picker: the libav* development files are missing (.ci/run installs them)");
  real = found;
}, 120_000);
afterAll(() => tmp.dispose());

const run = (file: string, opts: ExtractionOptionsInput, nativeDecode: boolean): Promise<ExtractedImages> =>
  extractImages(tmp.dir, file, opts, { limits: { nativeDecode } });

async function expectSame(file: string, opts: ExtractionOptionsInput): Promise<ExtractResult> {
  const picked = await run(file, opts, true);
  const plain = await run(file, opts, false);
  expect(plain.result.pickerRuns).toBe(0);
  expect(picked.result.frames).toEqual(plain.result.frames);
  expect(picked.images.length).toBe(plain.images.length);
  picked.images.forEach((img, i) => expect(img.equals(plain.images[i] as Buffer), `image ${i + 1}`).toBe(true));
  return picked.result;
}

describe("the frame picker", () => {
  it("is compiled once per source and library flags, then reused", async () => {
    const source = pickerSources(process.env).find((f) => f.endsWith(path.join("engine", "native", "pick-frames.c")));
    const cache = path.join(tmp.dir, "native");
    const first = await compilePicker(source as string, cache);
    const built = (await stat(first)).mtimeMs;
    expect(await compilePicker(source as string, cache)).toBe(first);
    expect((await stat(first)).mtimeMs).toBe(built);
  }, 120_000);

  it("gives the command line's frames and images, sizes and formats included", async () => {
    const file = await fixture("cfr.mp4");
    const dense = await expectSame(file, { mode: "INTERVAL", intervalSeconds: 0.25, width: 160, format: "PNG" });
    expect(dense.pickerRuns).toBeGreaterThan(0);
    expect(dense.fallbacks).toBe(0);
    await expectSame(file, { mode: "TIMESTAMPS", timestamps: [0, 0.01, 1.99, 2, 2.01, 4.9, 4.97, 4.999] });
    await expectSame(file, { mode: "COUNT", count: 7, width: 100, height: 100, fit: "COVER", format: "WEBP" });
    await expectSame(await fixture("vfr.mp4"), { mode: "INTERVAL", intervalSeconds: 0.2 });
  }, 120_000);

  it("failing part-way, keeps the exact frames it gave and the command line answers the rest", async () => {
    const file = await fixture("cfr.mp4");
    // The real picker cut off after about three pictures (320x240 yuv420p is 115,200 bytes a picture), then exit 3 as on damage.
    const broken = tmp.file("broken-picker.sh", `#!/bin/sh\n"${real}" "$@" | head -c 350000\nexit 3\n`);
    chmodSync(broken, 0o755);
    const opts = extractionOptionsSchema.parse({ mode: "INTERVAL", intervalSeconds: 0.5 });
    const reference = await run(file, opts, false);
    const { result: picked, images } = await withPicker(broken, () => run(file, opts, true));
    expect(picked.pickerRuns).toBeGreaterThan(0);
    expect(picked.fallbacks).toBeGreaterThan(0);
    expect(picked.frames).toEqual(reference.result.frames);
    images.forEach((img, i) => expect(img.equals(reference.images[i] as Buffer), `image ${i + 1}`).toBe(true));
  }, 120_000);
});

/** Runs `fn` with VP_FRAME_PICKER naming `picker`, in a fresh env object (resolvePicker memoizes per env). */
async function withPicker<T>(picker: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env;
  process.env = { ...saved, VP_FRAME_PICKER: picker };
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}
