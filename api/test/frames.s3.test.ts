import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { promisify } from "node:util";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { S3BlobStore, type AwsClients, type BlobStore, type ByteRange } from "@vp/platform";
import { randomName, startS3rver, testClients, type RunningServer } from "@vp/platform/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZipSink } from "../../engine/src/archive/zip-sink.js";
import { FrameArchive } from "../src/frames/frame-archive.js";
import { readAll } from "../src/frames/frame-index.js";

const run = promisify(execFile);
const FRAMES = 300;

/** The store as the API sees it, recording every read; a read of a whole blob fails the test. */
function recording(store: BlobStore): { store: BlobStore; reads: ByteRange[] } {
  const reads: ByteRange[] = [];
  const wrapped: BlobStore = Object.assign(Object.create(store) as BlobStore, {
    get: (key: string, options?: { range?: ByteRange }): Promise<Readable> => {
      if (options?.range === undefined) throw new Error(`whole read of ${key}`);
      reads.push(options.range);
      return store.get(key, options);
    },
  });
  return { store: wrapped, reads };
}

describe("frames out of an archive in S3 (s3rver), by byte range", () => {
  let server: RunningServer;
  let clients: AwsClients;
  let dir: string;
  let store: S3BlobStore;
  let files: string[];
  let archiveSizeBytes: number;
  const key = "archives/owner/job.zip";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-frames-s3-"));
    server = await startS3rver();
    clients = testClients({ s3: server.endpoint });
    const bucket = randomName("vp-archives");
    await clients.s3().send(new CreateBucketCommand({ Bucket: bucket }));
    store = new S3BlobStore({ s3: clients.s3, bucket });
    // Real JPEGs from ffmpeg, archived by the engine's own ZipSink exactly as a job does.
    await run("ffmpeg", [
      ...["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30", "-frames:v", String(FRAMES)],
      ...["-q:v", "3", join(dir, "frame_%06d.jpg")],
    ]);
    files = (await readdir(dir)).filter((f) => f.endsWith(".jpg")).sort();
    const body = new PassThrough();
    const stored = store.put(key, body, { contentType: "application/zip" });
    const sink = new ZipSink(body);
    for (const f of files) await sink.add(f, await readFile(join(dir, f)));
    const frames = files.map((file, i) => ({ file, index: i + 1, requestedSeconds: i / 30, timestampSeconds: i / 30 }));
    await sink.add("manifest.json", Buffer.from(JSON.stringify({ video: {}, options: {}, strategy: "test", frames })));
    archiveSizeBytes = await sink.finish();
    expect((await stored).sizeBytes).toBe(archiveSizeBytes);
  }, 60_000);

  afterAll(async () => {
    clients?.destroy();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("indexes the archive in three ranged reads and serves one frame in one, byte for byte", async () => {
    const { store: api, reads } = recording(store);
    const frames = new FrameArchive({ archives: api, secret: Buffer.alloc(32, 1), baseUrl: () => "http://x" });
    const result = { archiveKey: key, archiveSizeBytes };

    const cold = performance.now();
    const index = await frames.index(result);
    const coldMs = performance.now() - cold;
    expect(index.frames).toHaveLength(FRAMES);
    expect({ width: index.width, height: index.height }).toEqual({ width: 160, height: 120 });
    expect(index.frames[149]!.timestampSeconds).toBeCloseTo(149 / 30, 9);
    expect(reads).toHaveLength(3);
    const indexBytes = reads.reduce((n, r) => n + r.end - r.start + 1, 0);
    expect(indexBytes).toBeLessThan(archiveSizeBytes / 4);

    const warm = performance.now();
    await frames.index(result);
    const warmMs = performance.now() - warm;
    expect(reads).toHaveLength(3);

    const frame = index.frames[149]!;
    const serve = performance.now();
    const bytes = await readAll(await frames.open(key, frame));
    const serveMs = performance.now() - serve;
    expect(bytes.equals(await readFile(join(dir, files[149]!)))).toBe(true);
    expect(reads).toHaveLength(4);
    expect(reads[3]!.end - reads[3]!.start + 1).toBe(frame.sizeBytes);

    const part = await readAll(await frames.open(key, frame, { start: 2, end: 11 }));
    expect(part.equals(bytes.subarray(2, 12))).toBe(true);
    console.info(
      `frames on s3rver: archive ${archiveSizeBytes} B, ${FRAMES} frames; index ${coldMs.toFixed(1)} ms cold ` +
        `(${indexBytes} B in 3 reads), ${warmMs.toFixed(2)} ms warm; one frame ${serveMs.toFixed(1)} ms`,
    );
  });
});
