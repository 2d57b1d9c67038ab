import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExtractionOptionsInput, Job } from "@vp/domain";
import { extract, probe } from "@vp/engine";
import type { LocalPlatform } from "@vp/platform";
import { archiveKeyFor, createExtractionHandler } from "../src/runner/extraction-handler.js";
import { makeVideo, openPlatform, runOnce, uploadedJob } from "./support/handler-fixture.js";

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

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-worker-limits-"));
    platform = await openPlatform(dir);
    tiny = await makeVideo(dir, "tiny.mp4", "160x120", 2);
    large = await makeVideo(dir, "large.mp4", "1600x1200", 1);
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

  const uploaded = (bytes: Buffer, options: ExtractionOptionsInput): Promise<Job> =>
    uploadedJob(platform, bytes, options);

  const run = (job: Job): Promise<Job> => runOnce(handle, platform, job);

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
