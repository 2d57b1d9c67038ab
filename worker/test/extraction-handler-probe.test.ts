import { randomBytes, randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
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
  type JobEvent,
} from "@vp/domain";
import { extract, probe } from "@vp/engine";
import { createLocalPlatform, type LocalPlatform, type QueueMessage } from "@vp/platform";
import { createExtractionHandler } from "../src/runner/extraction-handler.js";

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
    platform = await createLocalPlatform({
      dataDir: join(dir, "data"),
      publicUrl: () => "http://localhost:1",
      issuer: "urn:video-processor:test",
      accessTokenTtlSeconds: 3600,
      requireEmailConfirmation: false,
      mailFrom: "test <test@localhost>",
      jobMaxAttempts: 3,
    });
    const file = join(dir, "tiny.mp4");
    await promisify(execFile)("ffmpeg", [
      ...["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "2"],
      ...["-c:v", "libx264", "-pix_fmt", "yuv420p", file],
    ]);
    tiny = await readFile(file);
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

  /** What completeVideoUpload leaves: the bytes stored, the video PROCESSING, its first job QUEUED. */
  async function uploaded(bytes: Buffer, options: ExtractionOptionsInput): Promise<Job> {
    const id = randomUUID();
    const extraction = extractionOptionsSchema.parse(options);
    const video = await platform.videos.create({
      id,
      ownerId: "owner",
      filename: "clip.mp4",
      contentType: "video/mp4",
      sizeBytes: bytes.length,
      blobKey: `owner/${id}/clip.mp4`,
      extraction,
    });
    await platform.blobs.videos.put(video.blobKey, bytes);
    const change = markUploaded(video);
    await platform.videos.update(video.id, change.when, change.patch);
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
