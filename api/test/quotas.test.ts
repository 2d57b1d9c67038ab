import { afterEach, describe, expect, it } from "vitest";
import type { UserQuotas } from "../src/services/index.js";
import { CANCEL_JOB, RETRY_JOB } from "./helpers/operations.js";
import { createTestEnv, dataOf, makeTinyVideo, probeAsWorker, type TestEnv } from "./helpers/env.js";
import { createUpload, rawId, uploadVideo, type UserErrorOut } from "./helpers/flows.js";

/**
 * Bounded work and storage per user: live jobs, jobs per rolling hour, stored bytes, each refused
 * as a QUOTA_EXCEEDED userError naming the limit and its value, with nothing written; and the
 * output-pixel limit checked against a READY video's probe.
 */
const roomy: UserQuotas = { maxLiveJobs: 100, maxJobsPerHour: 1000, maxStoredBytes: 1e12 };

describe("per-user quotas", () => {
  let env: TestEnv;
  afterEach(async () => {
    await env.close();
  });

  const cancel = async (user: string, jobId: string) =>
    dataOf<{ job: { status: string } }>(await env.exec(user, CANCEL_JOB, { id: jobId }), "cancelJob");

  it("refuses a job past VP_MAX_LIVE_JOBS_PER_USER (completeVideoUpload), then accepts it once one has ended", async () => {
    env = await createTestEnv({ quotas: { ...roomy, maxLiveJobs: 2 } });
    const bytes = await makeTinyVideo(env.dir);
    const first = await uploadVideo(env, "alice", bytes);
    await uploadVideo(env, "alice", bytes);
    const third = await uploadVideo(env, "alice", bytes);
    expect(third.completed.job).toBeNull();
    expect(third.completed.userErrors).toEqual<UserErrorOut[]>([
      {
        code: "QUOTA_EXCEEDED",
        field: null,
        message:
          "You have 2 jobs queued or running: the limit is 2 at once per user. Wait for one to finish, or cancel one.",
      },
    ]);
    expect(await env.platform.jobs.countForOwner("alice")).toBe(2);
    // Another user is not affected.
    expect((await uploadVideo(env, "bob", bytes)).completed.job?.status).toBe("QUEUED");
    // One ends: completing the refused upload again now queues its job.
    await cancel("alice", first.completed.job!.id);
    const again = await uploadVideo(env, "alice", bytes);
    expect(again.completed.job?.status).toBe("QUEUED");
  });

  it("refuses a job past VP_MAX_JOBS_PER_USER_PER_HOUR, counting cancelled ones too", async () => {
    env = await createTestEnv({ quotas: { ...roomy, maxJobsPerHour: 2 } });
    const bytes = await makeTinyVideo(env.dir);
    for (let i = 0; i < 2; i++) {
      const { completed } = await uploadVideo(env, "alice", bytes);
      await cancel("alice", completed.job!.id);
    }
    const third = await uploadVideo(env, "alice", bytes);
    expect(third.completed.userErrors.map((e) => [e.code, e.message])).toEqual([
      [
        "QUOTA_EXCEEDED",
        "You created 2 jobs in the last hour: the limit is 2 jobs per user per rolling hour. Try again later.",
      ],
    ]);
  });

  it("a retry counts as a live job: retryJob is refused at the limit and the job stays as it was", async () => {
    env = await createTestEnv({ quotas: { ...roomy, maxLiveJobs: 1 } });
    const bytes = await makeTinyVideo(env.dir);
    const first = await uploadVideo(env, "alice", bytes);
    const jobId = first.completed.job!.id;
    await cancel("alice", jobId);
    await uploadVideo(env, "alice", bytes);
    const retried = dataOf<{ job: { status: string } | null; userErrors: UserErrorOut[] }>(
      await env.exec("alice", RETRY_JOB, { id: jobId }),
      "retryJob",
    );
    expect(retried.userErrors.map((e) => e.code)).toEqual(["QUOTA_EXCEEDED"]);
    expect(retried.job?.status).toBe("CANCELLED");
    expect((await env.platform.jobs.findById(rawId(jobId)))?.status).toBe("CANCELLED");
  });

  it("refuses an upload whose declared size would take the user past VP_MAX_STORED_BYTES_PER_USER", async () => {
    env = await createTestEnv({ quotas: { ...roomy, maxStoredBytes: 1000 } });
    const input = { filename: "a.mp4", contentType: "video/mp4" };
    expect((await createUpload(env, "alice", { ...input, sizeBytes: 600 })).userErrors).toEqual([]);
    const refused = await createUpload(env, "alice", { ...input, sizeBytes: 500 });
    expect(refused.video).toBeNull();
    expect(refused.userErrors).toEqual<UserErrorOut[]>([
      {
        code: "QUOTA_EXCEEDED",
        field: ["input", "sizeBytes"],
        message:
          "Storing 500 more bytes would bring your videos and archives to 1100 bytes, more than the limit of 1000 bytes per user. Delete videos you no longer need first.",
      },
    ]);
    expect(await env.platform.videos.storedBytesForOwner("alice")).toBe(600);
    // Exactly at the limit is allowed; another user has their own.
    expect((await createUpload(env, "alice", { ...input, sizeBytes: 400 })).userErrors).toEqual([]);
    expect((await createUpload(env, "bob", { ...input, sizeBytes: 1000 })).userErrors).toEqual([]);
  });

  it("startExtraction on a READY video checks VP_MAX_OUTPUT_PIXELS against its probe, on width", async () => {
    env = await createTestEnv({ maxOutputPixels: 200 * 200, quotas: roomy });
    const bytes = await makeTinyVideo(env.dir);
    const { videoId } = await uploadVideo(env, "alice", bytes);
    await probeAsWorker(env.platform, rawId(videoId));
    const start = async (extraction: string) =>
      dataOf<{ job: { id: string } | null; userErrors: UserErrorOut[] }>(
        await env.exec(
          "alice",
          `mutation($v: ID!) { startExtraction(input: { videoId: $v, extraction: ${extraction} }) { job { id } userErrors { field message code } } }`,
          { v: videoId },
        ),
        "startExtraction",
      );
    const refused = await start("{ mode: COUNT, count: 1, width: 8192, height: 8192, fit: FILL, allowUpscale: true }");
    expect(refused.job).toBeNull();
    expect(refused.userErrors).toEqual<UserErrorOut[]>([
      {
        code: "VALIDATION",
        field: ["input", "extraction", "width"],
        message:
          "frames of 8192x8192 (67.1 MP) are more than the limit of 40000 pixels per frame (0.0 MP); ask for a smaller width or height",
      },
    ]);
    expect((await start("{ mode: COUNT, count: 1 }")).job).not.toBeNull();
  });
});
