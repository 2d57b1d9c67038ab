import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extractionOptionsSchema,
  markUploaded,
  type ExtractionOptionsInput,
  type ExtractionRequested,
  type Job,
} from "@vp/domain";
import { extract, probe } from "@vp/engine";
import { createLocalPlatform, type LocalPlatform, type QueueMessage } from "@vp/platform";
import { archiveKeyFor, createExtractionHandler } from "../src/runner/extraction-handler.js";

const exec = promisify(execFile);

/**
 * Bounded work per job, through the worker on real ffmpeg: a source over the pixel limit is
 * refused at its probe (the video REJECTED, nothing decoded), an archive over the byte limit fails
 * the job with nothing stored, an output frame over the pixel limit fails as INVALID_OPTIONS.
 *
 * The large source is a moderately large real one (1600x1200, a few KB) against a 1 MP limit, not
 * the 16000x16000 attack itself: making that file takes ffmpeg 4.6 GB and 7 s, so the check is also
 * unit-tested on probe objects (engine/src/ffmpeg/source-limits.test.ts) and measured by hand.
 */
describe("extraction handler: limits per job", () => {
  let dir: string;
  let platform: LocalPlatform;
  let tiny: Buffer;
  let large: Buffer;
  let extractions = 0;
  let handle: ReturnType<typeof createExtractionHandler>;

  const video = async (name: string, size: string, seconds: number): Promise<Buffer> => {
    const file = join(dir, name);
    await exec("ffmpeg", [
      ...["-v", "error", "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=10`, "-t", String(seconds)],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", file],
    ]);
    return readFile(file);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-worker-limits-"));
    platform = await createLocalPlatform({
      dataDir: join(dir, "data"),
      publicUrl: () => "http://localhost:1",
      issuer: "urn:video-processor:test",
      accessTokenTtlSeconds: 3600,
      requireEmailConfirmation: false,
      mailFrom: "test <test@localhost>",
      jobMaxAttempts: 3,
    });
    tiny = await video("tiny.mp4", "160x120", 2);
    large = await video("large.mp4", "1600x1200", 1);
    handle = createExtractionHandler({
      platform,
      engine: {
        extract: (req) => {
          extractions++;
          return extract(req);
        },
        probe,
      },
      limits: {
        maxFrames: 100,
        timeoutSeconds: 60,
        maxSourcePixels: 1_000_000,
        maxOutputPixels: 200 * 200,
        maxArchiveBytes: 60_000,
      },
      maxAttempts: 3,
      logger: { info() {}, warn() {}, error() {} },
    });
  });
  afterAll(async () => {
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function uploaded(bytes: Buffer, options: ExtractionOptionsInput): Promise<Job> {
    const id = randomUUID();
    const extraction = extractionOptionsSchema.parse(options);
    const v = await platform.videos.create({
      id,
      ownerId: "owner",
      filename: "clip.mp4",
      contentType: "video/mp4",
      sizeBytes: bytes.length,
      blobKey: `owner/${id}/clip.mp4`,
      extraction,
    });
    await platform.blobs.videos.put(v.blobKey, bytes);
    const change = markUploaded(v);
    await platform.videos.update(v.id, change.when, change.patch);
    return platform.jobs.create({ id: randomUUID(), ownerId: "owner", videoId: id, options: extraction });
  }

  const run = async (job: Job): Promise<Job> => {
    const message: QueueMessage<ExtractionRequested> = {
      id: randomUUID(),
      receipt: randomUUID(),
      body: { jobId: job.id, videoId: job.videoId, ownerId: job.ownerId },
      attempts: 1,
      enqueuedAt: new Date(),
    };
    expect(await handle(message, { signal: new AbortController().signal })).toEqual({ kind: "ack" });
    return (await platform.jobs.findById(job.id))!;
  };

  it("refuses a source over VP_MAX_SOURCE_PIXELS at its probe: job FAILED SOURCE_TOO_LARGE, video REJECTED, nothing decoded", async () => {
    const before = extractions;
    const job = await run(await uploaded(large, { mode: "COUNT", count: 1 }));
    expect(job.status).toBe("FAILED");
    expect(job.error).toEqual({
      code: "SOURCE_TOO_LARGE",
      retryable: false,
      message:
        "The video is too large: 1600x1200 (1.9 MP) is more than the 1000000 pixels (1.0 MP) per frame this service accepts.",
    });
    expect(extractions).toBe(before);
    const v = (await platform.videos.findById(job.videoId))!;
    expect(v.status).toBe("REJECTED");
    expect(v.rejectionReason).toBe(job.error?.message);
    expect(await platform.blobs.archives.head(archiveKeyFor(job))).toBeNull();
  });

  it("fails a job whose archive would cross VP_MAX_ARCHIVE_BYTES: ARCHIVE_TOO_LARGE, no blob, no temp file", async () => {
    const job = await run(await uploaded(tiny, { mode: "COUNT", count: 20, format: "PNG", quality: 100 }));
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatchObject({ code: "ARCHIVE_TOO_LARGE", retryable: false });
    expect(job.error?.message).toContain("limit of 60000 bytes");
    expect(job.result).toBeNull();
    expect(await platform.blobs.archives.head(archiveKeyFor(job))).toBeNull();
    const temp = await readdir(join(dir, "data", "blobs", "archives", ".tmp")).catch(() => []);
    expect(temp.filter((f) => f !== "uploads")).toEqual([]);
  });

  it("fails an output frame over VP_MAX_OUTPUT_PIXELS as INVALID_OPTIONS naming width and the limit", async () => {
    const job = await run(await uploaded(tiny, { mode: "COUNT", count: 1, width: 400, allowUpscale: true }));
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatchObject({ code: "INVALID_OPTIONS", retryable: false });
    expect(job.error?.message).toContain("width: frames of 400x300 (0.1 MP) are more than the limit of 40000 pixels");
  });
});
