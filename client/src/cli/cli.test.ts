import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeOptionalValues, samplingOptions } from "./sampling-options.js";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/vproc.js");
let dir: string;
let video: string;

/** Runs the real CLI as a child process. */
const vproc = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vproc-cli-"));
  video = path.join(dir, "in.mp4");
  await new Promise<void>((resolve, reject) =>
    execFile(
      "ffmpeg",
      [
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x120:rate=10",
        "-t",
        "3",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        video,
      ],
      (e: Error | null) => (e ? reject(e) : resolve()),
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("vproc extract (child process)", () => {
  it("extracts offline and prints JSON", async () => {
    const r = await vproc(
      "extract",
      video,
      "--every",
      "1",
      "--format",
      "png",
      "--width",
      "80",
      "--json",
      "-o",
      "out.zip",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, frameCount: 3, strategy: expect.any(String) });
    expect(existsSync(path.join(dir, "out.zip"))).toBe(true);
  });
  it("exit 1 with one clear line when the file is not a video", async () => {
    writeFileSync(path.join(dir, "x.mp4"), "");
    const r = await vproc("extract", "x.mp4", "-o", "bad.zip");
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("vproc extract: The video file is empty (0 bytes). (INPUT_EMPTY)");
    expect(existsSync(path.join(dir, "bad.zip"))).toBe(false);
  });
  it("exit 2 on usage errors", async () => {
    expect((await vproc("extract", video)).code).toBe(2);
    expect((await vproc("extract", video, "--every", "1", "--count", "3", "-o", "a.zip")).stderr).toContain(
      "choose one sampling mode",
    );
    expect((await vproc("extract", video, "--at", "9", "-o", "a.zip")).code).toBe(2);
    // The probe starts before the options are parsed; a usage error is still the one reported.
    const both = await vproc("extract", "missing.mp4", "--every", "1", "--count", "3", "-o", "a.zip");
    expect([both.code, both.stderr.includes("choose one sampling mode")]).toEqual([2, true]);
    expect((await vproc("nope")).code).toBe(2);
    const help = await vproc("--help");
    expect([help.code, help.stdout.includes("extract")]).toEqual([0, true]);
  });
});

describe("sampling flags", () => {
  it("map to the shared options", () => {
    expect(samplingOptions({ at: "10%,50%", format: "webp", "max-frames": "5" })).toEqual({
      mode: "TIMESTAMPS",
      timestampUnit: "PERCENT",
      timestamps: [10, 50],
      format: "WEBP",
      maxFrames: 5,
    });
    expect(samplingOptions({ scenes: "", fit: "cover" })).toEqual({ mode: "SCENES", fit: "COVER" });
    expect(samplingOptions({})).toEqual({ mode: "INTERVAL", intervalSeconds: 1 });
    expect(samplingOptions({ scenes: "0.4", "min-scene-gap": "2" })).toEqual({
      mode: "SCENES",
      sceneThreshold: 0.4,
      sceneMinGapSeconds: 2,
    });
    expect(() => samplingOptions({ every: "2", "min-scene-gap": "2" })).toThrow("--min-scene-gap goes with --scenes");
    expect(normalizeOptionalValues(["--scenes", "0.4", "a.mp4"])).toEqual(["--scenes=0.4", "a.mp4"]);
    expect(normalizeOptionalValues(["--scenes", "a.mp4"])).toEqual(["--scenes=", "a.mp4"]);
    expect(() => samplingOptions({ every: "soon" })).toThrow('--every must be a number (got "soon")');
  });
});
