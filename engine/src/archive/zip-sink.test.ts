import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { END_RECORD_BYTES, entryOverheadBytes, ZipSink } from "./zip-sink.js";

const drain = (s: PassThrough): Promise<number> =>
  new Promise((resolve, reject) => {
    let n = 0;
    s.on("data", (c: Buffer) => (n += c.length));
    s.on("end", () => resolve(n));
    s.on("error", reject);
  });

describe("ZipSink: archive bytes per job", () => {
  it("the projected size bounds the real archive", async () => {
    const out = new PassThrough();
    const size = drain(out);
    const sink = new ZipSink(out, undefined, 10 * 1024 * 1024);
    const names = ["frame_000001.png", "frame_000002.png", "manifest.json"];
    for (const name of names) await sink.add(name, Buffer.alloc(100_000, 7));
    const written = await sink.finish();
    expect(await size).toBe(written);
    const bound = END_RECORD_BYTES + names.reduce((a, n) => a + 100_000 + entryOverheadBytes(n), 0);
    expect(written).toBeLessThanOrEqual(bound);
  });
  it("refuses the entry that would cross the limit as ARCHIVE_TOO_LARGE, appending nothing", async () => {
    const out = new PassThrough();
    out.resume();
    const sink = new ZipSink(out, undefined, 250_000);
    await sink.add("frame_000001.png", Buffer.alloc(100_000));
    await sink.add("frame_000002.png", Buffer.alloc(100_000));
    await expect(sink.add("frame_000003.png", Buffer.alloc(100_000))).rejects.toMatchObject({
      code: "ARCHIVE_TOO_LARGE",
      retryable: false,
      message: expect.stringContaining("limit of 250000 bytes (0.2 MiB) per job after 2 files") as string,
    });
    sink.abort(new Error("stop"));
    expect(out.destroyed).toBe(true);
  });
});
