import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractionOptionsSchema, type ExtractionOptionsInput, type Job, type JobEvent } from "@vp/domain";
import { extract, probe } from "@vp/engine";
import type { LocalPlatform } from "@vp/platform";
import { createExtractionHandler } from "../src/runner/extraction-handler.js";
import { makeVideo, openPlatform, runOnce, uploadedJob } from "./support/handler-fixture.js";

/**
 * The worker probes a video as the first step of its job (the API has no ffprobe): the probe is
 * stored with the video once, a file ffprobe cannot read ends the job FAILED with a precise code
 * and the video REJECTED, and a plan that does not fit the probed video fails as INVALID_OPTIONS.
 */
describe("extraction handler: probing where ffmpeg lives", () => {
  let dir: string;
  let platform: LocalPlatform;
  let tiny: Buffer;
  const published: JobEvent[] = [];
  let probes = 0;
  let handle: ReturnType<typeof createExtractionHandler>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-worker-probe-"));
    platform = await openPlatform(dir);
    tiny = await makeVideo(dir, "tiny.mp4", "160x120", 2);
    handle = createExtractionHandler({
      platform: {
        ...platform,
        jobEvents: {
          publish: async (event) => {
            published.push(event);
            await platform.jobEvents.publish(event);
          },
        },
      },
      engine: {
        extract,
        probe: (path, options) => {
          probes++;
          return probe(path, options);
        },
      },
      limits: { maxFrames: 100, timeoutSeconds: 60 },
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
  const statusesOf = (job: Job) => published.filter((e) => e.job.id === job.id).map((e) => e.job.status);

  it("probes once, stores the whole probe with the video (READY), and a later job reuses it", async () => {
    const first = await uploaded(tiny, { mode: "COUNT", count: 2 });
    const before = probes;
    expect((await run(first)).status).toBe("SUCCEEDED");
    expect(probes - before).toBe(1);
    const video = (await platform.videos.findById(first.videoId))!;
    expect(video.status).toBe("READY");
    expect(video.metadata).toMatchObject({ width: 160, height: 120, videoCodec: "h264" });
    expect(video.metadata?.startTime).toBeTypeOf("number");
    expect(video.metadata?.timeBase).toBeDefined();

    const second = await platform.jobs.create({
      id: randomUUID(),
      ownerId: "owner",
      videoId: video.id,
      options: extractionOptionsSchema.parse({ mode: "KEYFRAMES" }),
    });
    expect((await run(second)).status).toBe("SUCCEEDED");
    expect(probes - before).toBe(1);
  });

  it("fails the job with the probe's code, seen live, and rejects a binary file that is no video", async () => {
    const job = await run(await uploaded(randomBytes(64 * 1024), { mode: "COUNT", count: 2 }));
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatchObject({ retryable: false });
    expect(["INPUT_CORRUPT", "NO_VIDEO_STREAM", "UNSUPPORTED_CODEC"]).toContain(job.error?.code);
    expect(job.error?.message).not.toMatch(/\n\s+at |ffprobe|\/tmp\//);
    expect(statusesOf(job)).toEqual(["RUNNING", "FAILED"]);
    const video = (await platform.videos.findById(job.videoId))!;
    expect(video.status).toBe("REJECTED");
    expect(video.rejectionReason).toBe(job.error?.message);
    expect(await platform.blobs.archives.head(`${job.ownerId}/${job.id}/frames.zip`)).toBeNull();
  });

  it("fails a plan that does not fit the probed video as INVALID_OPTIONS, keeping the video READY", async () => {
    const job = await run(await uploaded(tiny, { mode: "TIMESTAMPS", timestamps: [0.5, 30] }));
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatchObject({ code: "INVALID_OPTIONS", retryable: false });
    expect(job.error?.message).toContain("beyond the end of the video");
    expect((await platform.videos.findById(job.videoId))?.status).toBe("READY");
  });
});
