import { Readable, Writable } from "node:stream";
import { ZipArchive } from "archiver";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { buildApiSchema } from "../src/graphql/build-schema.js";
import { checkQueryCost, queryCost } from "../src/graphql/limits/query-cost.js";
import type { BlobStore } from "@vp/platform";
import { FrameIndexCache, loadFrameIndex, type FrameEntry, type FrameIndex } from "../src/frames/frame-index.js";
import { imageSize } from "../src/frames/image-size.js";
import { signFrameToken, verifyFrameToken } from "../src/frames/frame-token.js";
import {
  checkLocalHeader,
  readDataOffset,
  readZipDirectory,
  ZipFormatError,
  type RangeReader,
} from "../src/frames/zip-directory.js";

const DATE = new Date("2000-01-01T00:00:00Z");

/** A ZIP made by archiver (what the engine's ZipSink wraps), with `store: true`. */
async function makeZip(
  files: ReadonlyArray<{ name: string; data: Buffer; asStream?: boolean }>,
  options: { forceZip64?: boolean; comment?: string } = {},
): Promise<Buffer> {
  const archive = new ZipArchive({
    store: true,
    forceZip64: options.forceZip64 ?? false,
    comment: options.comment ?? "",
  });
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const finished = new Promise((resolve) => out.on("finish", resolve));
  archive.pipe(out);
  for (const f of files)
    archive.append(f.asStream ? Readable.from([f.data]) : f.data, { name: f.name, date: DATE, store: true });
  await archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

/** A reader over a buffer that records every range asked for. */
function readerOf(zip: Buffer): { read: RangeReader; ranges: Array<[number, number]> } {
  const ranges: Array<[number, number]> = [];
  return {
    ranges,
    read: async (start, end) => {
      if (start < 0 || end >= zip.length || end < start) throw new Error(`bad range ${start}-${end} of ${zip.length}`);
      ranges.push([start, end]);
      return zip.subarray(start, end + 1);
    },
  };
}

const files = [
  { name: "frame_000001.jpg", data: Buffer.from("first frame bytes") },
  { name: "frame_000002.jpg", data: Buffer.alloc(100_000, 7) },
  { name: "manifest.json", data: Buffer.from('{"frames":[]}') },
];

describe("readZipDirectory", () => {
  for (const forceZip64 of [false, true])
    it(`finds every stored entry's bytes from the directory alone${forceZip64 ? " (ZIP64 records)" : ""}`, async () => {
      const zip = await makeZip(files, { forceZip64 });
      const { read, ranges } = readerOf(zip);
      const entries = await readZipDirectory(read, zip.length, { maxDirectoryBytes: 1 << 20 });
      expect(entries.map((e) => e.name)).toEqual(files.map((f) => f.name));
      for (const [i, e] of entries.entries()) {
        expect(e.method).toBe(0);
        expect(e.size).toBe(files[i]!.data.length);
        expect(e.dataOffset).not.toBeNull();
        expect(zip.subarray(e.dataOffset!, e.dataOffset! + e.size)).toEqual(files[i]!.data);
        // The layout derived from the directory agrees with each local header.
        expect(e.localHeaderOffset + checkLocalHeader(e, zip.subarray(e.localHeaderOffset))).toBe(e.dataOffset);
      }
      // One read of the tail: nothing but the last 64 KiB, never the whole archive.
      expect(ranges).toEqual([[zip.length - 65_536, zip.length - 1]]);
    });

  it("reads the directory separately when it lies before the tail read", async () => {
    const many = Array.from({ length: 900 }, (_, i) => ({
      name: `frame_${String(i + 1).padStart(6, "0")}_with_a_long_name_to_grow_the_directory.png`,
      data: Buffer.from(`frame ${i}`),
    }));
    const zip = await makeZip([{ name: "big.bin", data: Buffer.alloc(200_000) }, ...many]);
    const { read, ranges } = readerOf(zip);
    const entries = await readZipDirectory(read, zip.length, { maxDirectoryBytes: 1 << 20 });
    expect(entries).toHaveLength(901);
    expect(ranges).toHaveLength(2);
    const last = entries[900]!;
    expect(zip.subarray(last.dataOffset!, last.dataOffset! + last.size).toString()).toBe("frame 899");
  });

  it("finds the end record behind an archive comment", async () => {
    const zip = await makeZip(files, { comment: "made for a test" });
    const entries = await readZipDirectory(readerOf(zip).read, zip.length, { maxDirectoryBytes: 1 << 20 });
    expect(entries).toHaveLength(3);
  });

  it("reads the local header of an entry written with a data descriptor", async () => {
    const zip = await makeZip([{ name: "streamed.jpg", data: Buffer.from("streamed bytes"), asStream: true }]);
    const { read } = readerOf(zip);
    const [entry] = await readZipDirectory(read, zip.length, { maxDirectoryBytes: 1 << 20 });
    // A stream's size is unknown when its header is written: archiver follows it with a descriptor.
    expect(entry!.flags & 0x08).toBe(0x08);
    expect(entry!.dataOffset).toBeNull();
    const start = await readDataOffset(read, entry!);
    expect(zip.subarray(start, start + entry!.size).toString()).toBe("streamed bytes");
  });

  it("refuses what is not a ZIP, a truncated one, and a directory over the bound", async () => {
    const zip = await makeZip(files);
    const bad = Buffer.alloc(1000, 1);
    await expect(readZipDirectory(readerOf(bad).read, bad.length, { maxDirectoryBytes: 1 << 20 })).rejects.toThrow(
      ZipFormatError,
    );
    const cut = zip.subarray(0, zip.length - 10);
    await expect(readZipDirectory(readerOf(cut).read, cut.length, { maxDirectoryBytes: 1 << 20 })).rejects.toThrow(
      ZipFormatError,
    );
    await expect(readZipDirectory(readerOf(zip).read, zip.length, { maxDirectoryBytes: 10 })).rejects.toThrow(
      /larger than 10 bytes/,
    );
  });
});

describe("imageSize", () => {
  it("reads PNG, baseline JPEG and the three WebP layouts", () => {
    const png = Buffer.alloc(24);
    png.writeUInt32BE(0x89504e47, 0);
    png.write("IHDR", 12, "latin1");
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(360, 20);
    expect(imageSize(png)).toEqual({ width: 640, height: 360 });

    // SOI, an APP0 segment, then SOF0 with height 120 and width 160.
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x78, 0x00, 0xa0, 0x03,
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 160, height: 120 });

    const riff = (chunk: string, body: number[]) =>
      Buffer.concat([
        Buffer.from("RIFF\0\0\0\0WEBP" + chunk + "\0\0\0\0", "latin1"),
        Buffer.from(body),
        Buffer.alloc(16),
      ]);
    expect(imageSize(riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2a, 160, 0, 120, 0]))).toEqual({ width: 160, height: 120 });
    const bits = (160 - 1) | ((120 - 1) << 14);
    expect(imageSize(riff("VP8L", [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, bits >>> 24]))).toEqual({
      width: 160,
      height: 120,
    });
    expect(imageSize(riff("VP8X", [0, 0, 0, 0, 159, 0, 0, 119, 0, 0]))).toEqual({ width: 160, height: 120 });
    expect(imageSize(Buffer.from("not an image"))).toBeNull();
  });
});

describe("frame tokens", () => {
  const secret = Buffer.alloc(32, 9);
  const claims = { ownerId: "user-1", jobId: "job-1", index: 3, expires: 1_000 };

  it("round-trip, expire, and refuse any change or another key", () => {
    const token = signFrameToken(secret, claims);
    expect(verifyFrameToken(secret, token, 999)).toEqual({ ok: true, claims });
    expect(verifyFrameToken(secret, token, 1_001)).toEqual({ ok: false, code: "URL_EXPIRED" });
    expect(verifyFrameToken(Buffer.alloc(32, 8), token, 999)).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
    const [, sig] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify(["user-2", "job-1", 3, 1_000])).toString("base64url")}.${sig}`;
    expect(verifyFrameToken(secret, forged, 999)).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
    expect(verifyFrameToken(secret, "garbage", 999)).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
  });
});

describe("the frames field's query cost", () => {
  it("multiplies by `first`, so a page of frames of a page of jobs is refused at the default limit", async () => {
    const schema = await buildApiSchema();
    const one = `query { job(id: "x") { result { frames(first: 100) { nodes { index url width height } } } } }`;
    expect(queryCost(schema, parse(one), null, null)).toBeLessThan(1000);
    const many = `query { viewer { jobs(first: 50) { nodes { result { frames(first: 100) { nodes { index url } } } } } } }`;
    expect(checkQueryCost(schema, parse(many), null, null, 5000)?.extensions["code"]).toBe("QUERY_TOO_COSTLY");
  });
});

describe("FrameIndexCache", () => {
  const indexOf = (archiveKey: string, frames: number): FrameIndex => ({
    archiveKey,
    frames: Array.from({ length: frames }, (_, i) => ({ index: i + 1 }) as FrameEntry),
    width: 1,
    height: 1,
  });

  it("loads each archive once, shares a load in flight, forgets failures, and evicts the least recently used", async () => {
    const loads: string[] = [];
    let fail = true;
    const cache = new FrameIndexCache(async ({ archiveKey }) => {
      loads.push(archiveKey);
      if (archiveKey === "bad" && fail) throw new Error("blob missing");
      return indexOf(archiveKey, 40);
    }, 100);
    const [a1, a2] = await Promise.all([
      cache.get({ archiveKey: "a", archiveSizeBytes: 1 }),
      cache.get({ archiveKey: "a", archiveSizeBytes: 1 }),
    ]);
    expect(a1).toBe(a2);
    expect(loads).toEqual(["a"]);
    await expect(cache.get({ archiveKey: "bad", archiveSizeBytes: 1 })).rejects.toThrow("blob missing");
    fail = false;
    await cache.get({ archiveKey: "bad", archiveSizeBytes: 1 });
    expect(loads).toEqual(["a", "bad", "bad"]);
    // a (40) + bad (40) + b (40) > 100: the least recently used, a, goes.
    await cache.get({ archiveKey: "b", archiveSizeBytes: 1 });
    await cache.get({ archiveKey: "bad", archiveSizeBytes: 1 });
    expect(loads).toEqual(["a", "bad", "bad", "b"]);
    await cache.get({ archiveKey: "a", archiveSizeBytes: 1 });
    expect(loads).toEqual(["a", "bad", "bad", "b", "a"]);
    expect(cache.size).toBe(2);
  });
});

describe("loadFrameIndex", () => {
  /** The one BlobStore method the index reads with, over an archive in memory. */
  const inMemory = (zip: Buffer): BlobStore =>
    ({
      get: async (_key: string, options?: { range?: { start: number; end: number } }) =>
        Readable.from([options?.range ? zip.subarray(options.range.start, options.range.end + 1) : zip]),
    }) as unknown as BlobStore;

  it("indexes frames listed by the manifest, also when entries carry data descriptors", async () => {
    const png = Buffer.alloc(40);
    png.writeUInt32BE(0x89504e47, 0);
    png.write("IHDR", 12, "latin1");
    png.writeUInt32BE(32, 16);
    png.writeUInt32BE(24, 20);
    const manifest = {
      frames: [
        { file: "frame_000001.png", index: 1, timestampSeconds: 0.5 },
        { file: "frame_000002.png", index: 2, timestampSeconds: 1.5 },
      ],
    };
    for (const asStream of [false, true]) {
      const zip = await makeZip([
        { name: "frame_000001.png", data: png, asStream },
        { name: "frame_000002.png", data: Buffer.concat([png, Buffer.from("x")]), asStream },
        { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest)), asStream },
      ]);
      const index = await loadFrameIndex(inMemory(zip), { archiveKey: "k", archiveSizeBytes: zip.length });
      expect(index.frames.map((f) => [f.index, f.timestampSeconds, f.sizeBytes, f.contentType])).toEqual([
        [1, 0.5, 40, "image/png"],
        [2, 1.5, 41, "image/png"],
      ]);
      expect([index.width, index.height]).toEqual([32, 24]);
    }
  });

  it("refuses an archive whose manifest names a file it does not hold", async () => {
    const zip = await makeZip([
      {
        name: "manifest.json",
        data: Buffer.from('{"frames":[{"file":"frame_000001.jpg","index":1,"timestampSeconds":0}]}'),
      },
    ]);
    await expect(loadFrameIndex(inMemory(zip), { archiveKey: "k", archiveSizeBytes: zip.length })).rejects.toThrow(
      /does not hold it/,
    );
  });
});
