import { toGlobalId } from "@vp/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, makeTinyVideo, probeAsWorker, type TestEnv } from "./helpers/env.js";
import { complete, createUpload, rawId, uploadVideo } from "./helpers/flows.js";

let env: TestEnv;
let tiny: Buffer;

beforeAll(async () => {
  env = await createTestEnv({ maxUploadBytes: 5_000_000, maxFrames: 50 });
  tiny = await makeTinyVideo(env.dir);
});
afterAll(() => env.close());

describe("createVideoUpload", () => {
  it("creates an AWAITING_UPLOAD video with defaults and a signed PUT target valid for an hour", async () => {
    const before = Date.now();
    const res = await createUpload(env, "alice", {
      filename: "../../etc/My clip?.mp4",
      contentType: "video/mp4",
      sizeBytes: 1234,
    });
    expect(res.userErrors).toEqual([]);
    expect(res.video).toMatchObject({
      filename: "My clip_.mp4",
      contentType: "video/mp4",
      sizeBytes: 1234,
      status: "AWAITING_UPLOAD",
      extraction: {
        mode: "INTERVAL",
        intervalSeconds: 1,
        format: "JPEG",
        quality: 85,
        fit: "CONTAIN",
      },
    });
    expect(res.upload?.method).toBe("PUT");
    const expires = Date.parse(res.upload?.expiresAt ?? "");
    expect(expires - before).toBeGreaterThan(3500_000);
    expect(expires - before).toBeLessThanOrEqual(3600_000 + 5000);
    const stored = await env.platform.videos.findById(rawId(res.video?.id ?? ""));
    expect(stored?.blobKey).toBe(`alice/${stored?.id}/My_clip_.mp4`);
    expect(stored?.ownerId).toBe("alice");
  });

  it("answers every input problem at once as userErrors with field paths, creating nothing", async () => {
    const res = await createUpload(env, "alice", {
      filename: "...",
      contentType: "image/png",
      sizeBytes: 0,
      extraction: { mode: "COUNT", quality: 0, startSeconds: 5, endSeconds: 2 },
    });
    expect(res.video).toBeNull();
    expect(res.upload).toBeNull();
    const byField = Object.fromEntries(res.userErrors.map((e) => [e.field?.join("."), e.code]));
    expect(byField).toMatchObject({
      "input.filename": "VALIDATION",
      "input.contentType": "VALIDATION",
      "input.sizeBytes": "VALIDATION",
      "input.extraction.count": "VALIDATION",
      "input.extraction.quality": "VALIDATION",
      "input.extraction.endSeconds": "VALIDATION",
    });
    const page = await env.platform.videos.listForOwner("alice", {
      first: 100,
    });
    expect(page.items.every((v) => v.filename !== "...")).toBe(true);
  });

  it("refuses sizes over the configured maximum and frame counts over the server's cap", async () => {
    const res = await createUpload(env, "alice", {
      filename: "a.mp4",
      contentType: "application/octet-stream",
      sizeBytes: 5_000_001,
      extraction: { mode: "COUNT", count: 51 },
    });
    expect(res.userErrors).toEqual([
      expect.objectContaining({
        field: ["input", "sizeBytes"],
        code: "PAYLOAD_TOO_LARGE",
      }),
      expect.objectContaining({
        field: ["input", "extraction", "count"],
        code: "VALIDATION",
      }),
    ]);
  });

  it("is refused without a viewer (UNAUTHENTICATED)", async () => {
    const res = await env.exec(
      null,
      `mutation { createVideoUpload(input: { filename: "a.mp4", contentType: "video/mp4", sizeBytes: 1 }) { userErrors { code } } }`,
    );
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
    expect(res.data).toBeNull();
  });
});

describe("completeVideoUpload", () => {
  it("answers UPLOAD_MISSING before the bytes arrive and SIZE_MISMATCH when they differ", async () => {
    const created = await createUpload(env, "alice", {
      filename: "a.mp4",
      contentType: "video/mp4",
      sizeBytes: tiny.length + 10,
    });
    const videoId = created.video?.id ?? "";
    const missing = await complete(env, "alice", videoId);
    expect(missing.userErrors).toEqual([
      expect.objectContaining({
        code: "UPLOAD_MISSING",
        field: ["input", "videoId"],
      }),
    ]);
    expect(missing.video?.status).toBe("AWAITING_UPLOAD");
    const video = await env.platform.videos.findById(rawId(videoId));
    await env.platform.blobs.videos.put(video?.blobKey ?? "", tiny);
    const mismatch = await complete(env, "alice", videoId);
    expect(mismatch.userErrors).toEqual([expect.objectContaining({ code: "SIZE_MISMATCH" })]);
    expect(mismatch.userErrors[0]?.message).toContain(String(tiny.length));
    expect(mismatch.job).toBeNull();
  });

  it("marks the video PROCESSING from its head alone and queues one job; a repeat answers the same job", async () => {
    const depthBefore = await env.platform.extractionQueue.depth();
    const { completed, videoId } = await uploadVideo(env, "alice", tiny);
    expect(completed.userErrors).toEqual([]);
    // The API has no ffprobe: the probe is the worker's first step.
    expect(completed.video?.status).toBe("PROCESSING");
    expect(completed.video?.metadata).toBeNull();
    expect(completed.job?.status).toBe("QUEUED");
    expect(completed.job?.video?.id).toBe(videoId);
    const again = await complete(env, "alice", videoId);
    expect(again.userErrors).toEqual([]);
    expect(again.job?.id).toBe(completed.job?.id);
    expect(again.video?.id).toBe(videoId);
    const depthAfter = await env.platform.extractionQueue.depth();
    expect(depthAfter.visible - depthBefore.visible).toBe(1);
    const jobs = await env.platform.jobs.listForOwner("alice", {
      first: 100,
      videoId: rawId(videoId),
    });
    expect(jobs.items).toHaveLength(1);

    // Once the worker has probed it, the video is READY with its metadata, and completing again changes nothing.
    await probeAsWorker(env.platform, rawId(videoId));
    const ready = await complete(env, "alice", videoId);
    expect(ready.video?.status).toBe("READY");
    expect(ready.video?.metadata?.width).toBe(160);
    expect(ready.video?.metadata?.durationSeconds).toBeCloseTo(2, 0);
    expect(ready.job?.id).toBe(completed.job?.id);
  });

  it("rejects a text file from its head: video REJECTED with a reason, UNREADABLE_VIDEO, no job, no stack", async () => {
    const junk = Buffer.from("this is not a video at all, just text pretending\n".repeat(20));
    const { completed, videoId } = await uploadVideo(env, "alice", junk);
    expect(completed.video?.status).toBe("REJECTED");
    expect(completed.video?.rejectionReason).toBeTruthy();
    expect(completed.job).toBeNull();
    expect(completed.userErrors).toEqual([
      expect.objectContaining({
        code: "UNREADABLE_VIDEO",
        field: ["input", "videoId"],
      }),
    ]);
    expect(completed.userErrors[0]?.message).not.toMatch(/\n\s+at /);
    const again = await complete(env, "alice", videoId);
    expect(again.userErrors[0]?.code).toBe("UNREADABLE_VIDEO");
    expect(again.video?.status).toBe("REJECTED");
  });

  it("queues the first job before any probe: a plan that does not fit is the worker's to refuse", async () => {
    const { completed } = await uploadVideo(env, "alice", tiny, {
      mode: "TIMESTAMPS",
      timestamps: [0.5, 30],
    });
    expect(completed.userErrors).toEqual([]);
    expect(completed.video?.status).toBe("PROCESSING");
    expect(completed.job?.status).toBe("QUEUED");
  });

  it("answers NOT_FOUND for another user's video, an unknown id and a malformed id", async () => {
    const { videoId } = await uploadVideo(env, "alice", tiny);
    for (const id of [videoId, toGlobalId("Video", "nope"), "%%%", toGlobalId("ExtractionJob", rawId(videoId))]) {
      const res = await complete(env, "bob", id);
      expect(res.video).toBeNull();
      expect(res.userErrors).toEqual([
        expect.objectContaining({
          code: "NOT_FOUND",
          field: ["input", "videoId"],
        }),
      ]);
    }
  });
});
