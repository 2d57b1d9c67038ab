import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "./ffmpeg/classify.js";
import { mergeSorted, orderedMerge } from "./ordered.js";
import { ProgressReporter } from "./progress.js";
import { copyrightYear, isOutdated, parseVersion, resolveFfmpeg } from "./ffmpeg/resolve-ffmpeg.js";
import { BoundedTail, run } from "./ffmpeg/runner.js";
import { MAX_BUFFERED_BYTES, ZipSink } from "./archive/zip-sink.js";

describe("ProgressReporter", () => {
  it("clamps, never goes back, throttles, always reports the end", () => {
    let now = 0;
    const seen: number[] = [];
    const p = new ProgressReporter(
      (x) => seen.push(x.progress),
      250,
      () => now,
    );
    p.report(-1, 0);
    now = 300;
    p.report(0.5, 1);
    now = 400;
    p.report(0.6, 2); // too soon
    now = 700;
    p.report(0.4, 3); // backwards: holds 0.5, nothing new
    p.report(1, 4, true);
    p.report(1, 4, true);
    now = 2000;
    p.report(7, 5);
    expect(seen).toEqual([0, 0.5, 1]);
  });
});

describe("classifyFailure", () => {
  it.each([
    ["No space left on device", "OUT_OF_DISK", true],
    ["Decoder (codec hevc) not found for input stream #0:0", "UNSUPPORTED_CODEC", false],
    ["[h264 @ 0x1] Invalid NAL unit size\nError while decoding stream #0:0", "INPUT_CORRUPT", false],
    ["something else", "INTERNAL", true],
  ] as const)("%s -> %s", (stderrTail, code, retryable) => {
    const e = classifyFailure({ exitCode: 1, signal: null, stderrTail });
    expect([e.code, e.retryable, e.diagnostics]).toEqual([code, retryable, stderrTail]);
  });
});

describe("resolveFfmpeg helpers", () => {
  it("reads the version and flags old builds", () => {
    expect(parseVersion("ffmpeg version 5.1.9-0+deb12u1 Copyright")).toBe("5.1.9-0+deb12u1");
    expect([isOutdated("4.1"), isOutdated("5.1.9-0+deb12u1"), isOutdated("n7.0"), isOutdated("N-112233-gabc")]).toEqual(
      [true, false, false, false],
    );
    expect(
      copyrightYear("ffmpeg version N-47683-g0e8eb07980-static  Copyright (c) 2000-2018 the FFmpeg developers"),
    ).toBe(2018);
    expect(isOutdated("N-47683-g0e8eb07980-static", 2018)).toBe(true);
  });
});

describe("resolveFfmpeg", () => {
  it("FFMPEG_PATH/FFPROBE_PATH first, then PATH, then the bundled packages; memoized per env", async () => {
    const env = { FFMPEG_PATH: "/usr/bin/ffmpeg", FFPROBE_PATH: "/usr/bin/ffprobe" };
    const fromEnv = await resolveFfmpeg(env);
    expect(fromEnv).toMatchObject({ source: "env", ffmpegPath: "/usr/bin/ffmpeg", outdated: false });
    expect(resolveFfmpeg(env)).toBe(resolveFfmpeg(env));
    expect(await resolveFfmpeg({ PATH: process.env.PATH ?? "" })).toMatchObject({
      source: "path",
      ffprobePath: expect.stringMatching(/ffprobe$/),
    });
    const bundled = await resolveFfmpeg({ PATH: "" });
    expect(bundled).toMatchObject({ source: "bundled", outdated: true });
  });
});

describe("ffmpeg's version", () => {
  it("is read once per binary into the private cache, and again when the binary changes", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "vp-version-"));
    try {
      const runs = path.join(dir, "runs");
      const fake = path.join(dir, "ffmpeg");
      const script = (v: string): string =>
        `#!/bin/sh\necho x >> '${runs}'\necho 'ffmpeg version ${v} Copyright (c) 2000-2026 the FFmpeg developers'\n`;
      await writeFile(fake, script("7.1-test"), { mode: 0o755 });
      const env = (): NodeJS.ProcessEnv => ({
        FFMPEG_PATH: fake,
        FFPROBE_PATH: "/usr/bin/ffprobe",
        VP_NATIVE_CACHE: path.join(dir, "cache"),
      });
      const count = async (): Promise<number> => (await readFile(runs, "utf8")).split("\n").length - 1;
      expect(await resolveFfmpeg(env())).toMatchObject({ version: "7.1-test", outdated: false });
      // A new env object is a new memo: only the cache can answer without running the binary.
      expect(await resolveFfmpeg(env())).toMatchObject({ version: "7.1-test" });
      expect(await count()).toBe(1);
      await writeFile(fake, script("4.4-older"), { mode: 0o755 });
      expect(await resolveFfmpeg(env())).toMatchObject({ version: "4.4-older", outdated: true });
      expect(await count()).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("runner", () => {
  it("keeps a bounded stderr tail", () => {
    const t = new BoundedTail(10);
    for (let i = 0; i < 100; i++) t.push("abcdefghij");
    expect(t.toString()).toBe("abcdefghij");
  });
  it("spawns without a shell and classifies the exit", async () => {
    const ok = run({ command: "sh", args: ["-c", "echo out; echo err >&2"] });
    expect((await ok.done).stderrTail).toBe("err\n");
    const bad = run({ command: "sh", args: ["-c", "echo 'moov atom not found' >&2; exit 1"] });
    await expect(bad.done).rejects.toMatchObject({ code: "INPUT_CORRUPT" });
    const missing = run({ command: "/nonexistent/ffmpeg", args: [] });
    await expect(missing.done).rejects.toMatchObject({ code: "INTERNAL" });
  });
  it("abort kills a process that ignores SIGTERM (SIGKILL after the grace)", async () => {
    const c = new AbortController();
    const p = run({ command: "sh", args: ["-c", "trap '' TERM; exec sleep 30"], signal: c.signal });
    setTimeout(() => c.abort(), 50);
    const t0 = Date.now();
    await expect(p.done).rejects.toMatchObject({ code: "CANCELLED" });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it("timeout -> TIMEOUT", async () => {
    await expect(run({ command: "sleep", args: ["30"], timeoutSeconds: 0.1 }).done).rejects.toMatchObject({
      code: "TIMEOUT",
      retryable: true,
    });
  });
});

describe("orderedMerge", () => {
  async function* gen(items: number[], log: string[], name: string) {
    try {
      for (const i of items) {
        await new Promise((r) => setTimeout(r, 1));
        yield i;
      }
    } finally {
      log.push(`closed ${name}`);
    }
  }
  it("yields in producer order and at most `concurrency` are started ahead", async () => {
    const log: string[] = [];
    const started: number[] = [];
    const producers = [0, 1, 2, 3].map((k) => () => {
      started.push(k);
      return gen([k * 10, k * 10 + 1], log, String(k));
    });
    const out: number[] = [];
    for await (const x of orderedMerge(producers, 2, 8)) {
      out.push(x);
      if (x === 0) expect(started).toEqual([0, 1]);
    }
    expect(out).toEqual([0, 1, 10, 11, 20, 21, 30, 31]);
  });
  it("a failure anywhere fails the merge and closes every producer", async () => {
    const log: string[] = [];
    async function* boom(): AsyncGenerator<number> {
      yield await Promise.reject(new Error("boom"));
    }
    const merged = orderedMerge([() => gen([1, 2, 3], log, "a"), boom], 2, 1);
    await expect(
      (async () => {
        for await (const _ of merged) void _;
      })(),
    ).rejects.toThrow("boom");
    expect(log).toEqual(["closed a"]);
  });
});

describe("mergeSorted", () => {
  async function* gen(items: number[], delayMs: number) {
    for (const i of items) {
      await new Promise((r) => setTimeout(r, delayMs));
      yield i;
    }
  }
  it("yields the sorted streams' items in one ascending order, whichever producer is faster", async () => {
    const out: number[] = [];
    const producers = [() => gen([1, 4, 4, 9], 5), () => gen([0, 2, 3, 4, 10], 1), () => gen([], 1)];
    for await (const x of mergeSorted(producers, 2, (n) => n)) out.push(x);
    expect(out).toEqual([0, 1, 2, 3, 4, 4, 4, 9, 10]);
  });
  it("a failure in any producer fails the merge", async () => {
    async function* boom(): AsyncGenerator<number> {
      yield 5;
      throw new Error("boom");
    }
    const merged = mergeSorted([() => gen([1, 2, 3, 7], 1), boom], 1, (n) => n);
    await expect(
      (async () => {
        for await (const _ of merged) void _;
      })(),
    ).rejects.toThrow("boom");
  });
});

describe("ZipSink", () => {
  it("stops accepting when the output does not drain (bounded memory)", async () => {
    const output = new Writable({ highWaterMark: 1024, write: () => undefined }); // never drains
    const sink = new ZipSink(output);
    let added = 0;
    const adding = (async () => {
      for (let i = 0; i < 100; i++) {
        await sink.add(`f${i}`, Buffer.alloc(512 * 1024));
        added++;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    expect(added * 512 * 1024).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + 512 * 1024);
    sink.abort(new Error("stop"));
    await expect(adding).rejects.toThrow("stop");
    expect(output.destroyed).toBe(true);
  });
  it("finishes into the output", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const sink = new ZipSink(out);
    await sink.add("a.txt", Buffer.from("hello"));
    const size = await sink.finish();
    expect(Buffer.concat(chunks).length).toBe(size);
    expect(Buffer.concat(chunks).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });
});
