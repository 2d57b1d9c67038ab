import { toGlobalId } from "@vp/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, dataOf, makeTinyVideo, probeAsWorker, type TestEnv } from "./helpers/env.js";
import { rawId, uploadVideo } from "./helpers/flows.js";
import { CANCEL_JOB, RETRY_JOB } from "./helpers/operations.js";

let env: TestEnv;
let tiny: Buffer;

beforeAll(async () => {
  env = await createTestEnv();
  tiny = await makeTinyVideo(env.dir);
});
afterAll(() => env.close());

interface JobPayload {
  job: {
    id: string;
    status: string;
    progress?: number;
    framesExtracted?: number;
    error: { code: string } | null;
    finishedAt?: string | null;
  } | null;
  userErrors: Array<{ field: string[] | null; message: string; code: string }>;
}

const cancel = async (user: string, id: string) =>
  dataOf<JobPayload>(await env.exec(user, CANCEL_JOB, { id }), "cancelJob");
const retry = async (user: string, id: string) =>
  dataOf<JobPayload>(await env.exec(user, RETRY_JOB, { id }), "retryJob");

async function queuedJob(user = "carol"): Promise<{ jobId: string; videoId: string }> {
  const { completed, videoId } = await uploadVideo(env, user, tiny);
  const jobId = completed.job?.id;
  if (!jobId) throw new Error(JSON.stringify(completed.userErrors));
  return { jobId, videoId };
}

describe("cancelJob / retryJob", () => {
  it("cancels a QUEUED job, refuses a second cancel, retries it back to a clean QUEUED and re-enqueues", async () => {
    const { jobId } = await queuedJob();
    const cancelled = await cancel("carol", jobId);
    expect(cancelled.userErrors).toEqual([]);
    expect(cancelled.job).toMatchObject({
      id: jobId,
      status: "CANCELLED",
      error: { code: "CANCELLED" },
    });

    const again = await cancel("carol", jobId);
    expect(again.userErrors).toEqual([
      expect.objectContaining({
        code: "ILLEGAL_TRANSITION",
        field: ["input", "jobId"],
      }),
    ]);
    expect(again.job?.status).toBe("CANCELLED");

    // The first message is still waiting (dedupe by job id), so the retry's enqueue is absorbed.
    const depthBefore = await env.platform.extractionQueue.depth();
    const retried = await retry("carol", jobId);
    expect(retried.userErrors).toEqual([]);
    expect(retried.job).toMatchObject({
      status: "QUEUED",
      progress: 0,
      framesExtracted: 0,
      error: null,
      finishedAt: null,
    });
    const depthAfter = await env.platform.extractionQueue.depth();
    expect(depthAfter.visible).toBe(depthBefore.visible);
  });

  it("retry enqueues again once the earlier message is gone", async () => {
    const { jobId } = await queuedJob();
    // Drain the queue as a worker would (ack), then fail the job as the worker would.
    for (;;) {
      const batch = await env.platform.extractionQueue.receive({
        maxMessages: 10,
        visibilityTimeoutSeconds: 30,
      });
      if (batch.length === 0) break;
      for (const m of batch) await env.platform.extractionQueue.ack(m.receipt);
    }
    const id = rawId(jobId);
    await env.platform.jobs.update(
      id,
      { status: ["QUEUED"] },
      { status: "RUNNING", startedAt: new Date(), attempts: 1 },
    );
    await env.platform.jobs.update(
      id,
      { status: ["RUNNING"] },
      {
        status: "FAILED",
        finishedAt: new Date(),
        error: { code: "INPUT_CORRUPT", message: "broken", retryable: true },
        progress: 0.5,
        framesExtracted: 3,
      },
    );
    const retried = await retry("carol", jobId);
    expect(retried.job).toMatchObject({
      status: "QUEUED",
      progress: 0,
      framesExtracted: 0,
      error: null,
    });
    const [message] = await env.platform.extractionQueue.receive({
      maxMessages: 1,
      visibilityTimeoutSeconds: 30,
    });
    expect(message?.body).toEqual({
      jobId: id,
      videoId: expect.any(String),
      ownerId: "carol",
    });
    if (message) await env.platform.extractionQueue.ack(message.receipt);
  });

  it("refuses to retry a QUEUED or SUCCEEDED job and to cancel a SUCCEEDED one", async () => {
    const { jobId } = await queuedJob();
    expect((await retry("carol", jobId)).userErrors[0]?.code).toBe("ILLEGAL_TRANSITION");
    const id = rawId(jobId);
    await env.platform.jobs.update(
      id,
      { status: ["QUEUED"] },
      { status: "RUNNING", startedAt: new Date(), attempts: 1 },
    );
    await env.platform.jobs.update(
      id,
      { status: ["RUNNING"] },
      {
        status: "SUCCEEDED",
        finishedAt: new Date(),
        progress: 1,
        result: {
          frameCount: 2,
          archiveKey: `carol/${id}.zip`,
          archiveSizeBytes: 10,
          strategy: "test",
        },
      },
    );
    const r = await retry("carol", jobId);
    expect(r.userErrors).toEqual([expect.objectContaining({ code: "ILLEGAL_TRANSITION" })]);
    expect(r.job?.status).toBe("SUCCEEDED");
    expect((await cancel("carol", jobId)).userErrors[0]?.code).toBe("ILLEGAL_TRANSITION");
  });

  it("treats another user's job, unknown and malformed ids as NOT_FOUND and changes nothing", async () => {
    const { jobId } = await queuedJob();
    for (const id of [jobId, toGlobalId("ExtractionJob", "missing"), "not-an-id"]) {
      const c = await cancel("mallory", id);
      expect(c.job).toBeNull();
      expect(c.userErrors).toEqual([
        expect.objectContaining({
          code: "NOT_FOUND",
          field: ["input", "jobId"],
        }),
      ]);
      expect((await retry("mallory", id)).userErrors[0]?.code).toBe("NOT_FOUND");
    }
    expect((await env.platform.jobs.findById(rawId(jobId)))?.status).toBe("QUEUED");
  });
});

describe("startExtraction", () => {
  it("queues a second job with new options on a READY video; refuses bad options with paths", async () => {
    const { videoId } = await queuedJob();
    await probeAsWorker(env.platform, rawId(videoId));
    const ok = dataOf<JobPayload>(
      await env.exec(
        "carol",
        `mutation($v: ID!) { startExtraction(input: { videoId: $v, extraction: { mode: COUNT, count: 3, format: PNG } }) { job { id status } userErrors { code field } } }`,
        { v: videoId },
      ),
      "startExtraction",
    );
    expect(ok.userErrors).toEqual([]);
    expect(ok.job?.status).toBe("QUEUED");
    const bad = dataOf<JobPayload>(
      await env.exec(
        "carol",
        `mutation($v: ID!) { startExtraction(input: { videoId: $v, extraction: { intervalSeconds: -1 } }) { job { id } userErrors { code field } } }`,
        { v: videoId },
      ),
      "startExtraction",
    );
    expect(bad.job).toBeNull();
    expect(bad.userErrors).toEqual([{ code: "VALIDATION", field: ["input", "extraction", "intervalSeconds"] }]);
    const tooLate = dataOf<JobPayload>(
      await env.exec(
        "carol",
        `mutation($v: ID!) { startExtraction(input: { videoId: $v, extraction: { mode: TIMESTAMPS, timestamps: [99] } }) { job { id } userErrors { code field } } }`,
        { v: videoId },
      ),
      "startExtraction",
    );
    expect(tooLate.userErrors[0]).toMatchObject({
      code: "VALIDATION",
      field: ["input", "extraction", "timestamps", "0"],
    });
    const latest = await env.exec<{ video: { latestJob: { id: string } } }>(
      "carol",
      `query($v: ID!) { video(id: $v) { latestJob { id } } }`,
      { v: videoId },
    );
    expect(latest.data?.video.latestJob.id).toBe(ok.job?.id);
  });

  it("refuses a video whose upload is not complete", async () => {
    const created = await env.exec<{
      createVideoUpload: { video: { id: string } };
    }>(
      "carol",
      `mutation { createVideoUpload(input: { filename: "x.mp4", contentType: "video/mp4", sizeBytes: 10 }) { video { id } } }`,
    );
    const res = dataOf<JobPayload>(
      await env.exec(
        "carol",
        `mutation($v: ID!) { startExtraction(input: { videoId: $v }) { job { id } userErrors { code } } }`,
        { v: created.data?.createVideoUpload.video.id },
      ),
      "startExtraction",
    );
    expect(res.userErrors).toEqual([{ code: "ILLEGAL_TRANSITION" }]);
  });
});

describe("deleteVideo", () => {
  it("cancels live jobs, deletes the original and archives, then the records", async () => {
    const { jobId, videoId } = await queuedJob("dave");
    const video = await env.platform.videos.findById(rawId(videoId));
    const archiveKey = `dave/${rawId(jobId)}/frames.zip`;
    await env.platform.blobs.archives.put(archiveKey, Buffer.from("zip"));
    // A finished job with an archive, beside the live one.
    const done = await env.platform.jobs.create({
      id: `done-${rawId(jobId)}`,
      ownerId: "dave",
      videoId: rawId(videoId),
      options: video!.extraction,
    });
    await env.platform.jobs.update(
      done.id,
      { status: ["QUEUED"] },
      { status: "RUNNING", startedAt: new Date(), attempts: 1 },
    );
    await env.platform.jobs.update(
      done.id,
      { status: ["RUNNING"] },
      {
        status: "SUCCEEDED",
        finishedAt: new Date(),
        progress: 1,
        result: {
          frameCount: 1,
          archiveKey,
          archiveSizeBytes: 3,
          strategy: "t",
        },
      },
    );

    const denied = await env.exec<{
      deleteVideo: {
        deletedVideoId: string | null;
        userErrors: Array<{ code: string }>;
      };
    }>("mallory", `mutation($v: ID!) { deleteVideo(input: { videoId: $v }) { deletedVideoId userErrors { code } } }`, {
      v: videoId,
    });
    expect(denied.data?.deleteVideo).toEqual({
      deletedVideoId: null,
      userErrors: [{ code: "NOT_FOUND" }],
    });

    const res = await env.exec<{
      deleteVideo: { deletedVideoId: string; userErrors: unknown[] };
    }>("dave", `mutation($v: ID!) { deleteVideo(input: { videoId: $v }) { deletedVideoId userErrors { code } } }`, {
      v: videoId,
    });
    expect(res.data?.deleteVideo).toEqual({
      deletedVideoId: videoId,
      userErrors: [],
    });
    expect(await env.platform.videos.findById(rawId(videoId))).toBeNull();
    expect(await env.platform.jobs.findById(rawId(jobId))).toBeNull();
    expect(await env.platform.blobs.videos.head(video!.blobKey)).toBeNull();
    expect(await env.platform.blobs.archives.head(archiveKey)).toBeNull();
  });
});
