import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CancelJobDocument,
  JobDocument,
  NodeDocument,
  VideoDocument,
  ViewerDocument,
  ViewerVideosDocument,
} from "@vp/client";
import { ApiClient, COMPLETE_UPLOAD, CREATE_UPLOAD, JOB_UPDATED, putBytes } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";

describe("bad input gets a clear error and loses nothing", () => {
  let product: TestProduct;
  let dir: string;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-bad-"));
    // No worker: these tests look at what the API accepts and refuses.
    product = await startTestProduct({ role: "api" });
    alice = new ApiClient(product.url!);
    bob = new ApiClient(product.url!);
    await alice.signUpAndLogIn("alice@example.com");
    await bob.signUpAndLogIn("bob@example.com");
  });

  afterAll(async () => {
    await alice.close();
    await bob.close();
    await product?.close();
    await removeDir(product.dataDir);
    await removeDir(dir);
  });

  it("refuses GraphQL without a token, with code UNAUTHENTICATED and no stack trace", async () => {
    const anonymous = new ApiClient(product.url!);
    const res = await anonymous.gql(ViewerDocument, {});
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(JSON.stringify(res)).not.toMatch(/at .*\.ts:\d+/);
    const forged = new ApiClient(product.url!);
    forged.token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    expect((await forged.gql(ViewerDocument, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a subscription without a token", async () => {
    const anonymous = new ApiClient(product.url!);
    const updates = anonymous.subscribe(JOB_UPDATED, { jobId: "x" });
    await expect(updates.next()).rejects.toBeTruthy();
    await anonymous.close();
  });

  it("answers another user's video and job as not found", async () => {
    const video = await makeTestVideo(join(dir, "mine.mp4"), { seconds: 2, size: "160x120" });
    const { video: v, job } = await alice.upload(video, { mode: "INTERVAL", intervalSeconds: 1 });
    const seen = {
      video: (await bob.data(VideoDocument, { id: v.id })).video,
      job: (await bob.data(JobDocument, { id: job.id })).job,
      node: (await bob.data(NodeDocument, { id: v.id })).node,
    };
    expect(seen).toEqual({ video: null, job: null, node: null });
    const cancel = await bob.data(CancelJobDocument, {
      input: { jobId: job.id },
    });
    expect(cancel.cancelJob.job).toBeNull();
    expect(cancel.cancelJob.userErrors[0]!.code).toBe("NOT_FOUND");
    const { viewer } = await bob.data(ViewerVideosDocument, { first: 10 });
    expect(viewer.videos.edges).toEqual([]);
  });

  it("rejects a file that is not a video when the upload completes", async () => {
    const notVideo = join(dir, "notes.mp4");
    await writeFile(notVideo, "these are my shopping notes, not a video\n".repeat(50));
    const done = await alice.upload(notVideo, { mode: "INTERVAL", intervalSeconds: 1 }, "notes.mp4");
    expect(done.job).toBeNull();
    expect(done.userErrors[0]!.code).toBe("UNREADABLE_VIDEO");
    expect(done.userErrors[0]!.message).not.toMatch(/ffmpeg|ffprobe|stderr|\.ts:/i);
    const { video } = await alice.data(VideoDocument, { id: done.video.id });
    expect(video.status).toBe("REJECTED");
    expect(video.rejectionReason).toBeTruthy();
    expect(video.latestJob).toBeNull();
  });

  it("refuses an upload larger than declared and keeps no partial file", async () => {
    const created = await alice.data(CREATE_UPLOAD, {
      input: {
        filename: "small.mp4",
        contentType: "video/mp4",
        sizeBytes: 100,
        extraction: { mode: "INTERVAL", intervalSeconds: 1 },
      },
    });
    const { upload, video } = created.createVideoUpload;
    const put = await putBytes(upload, new Uint8Array(5000));
    expect([400, 413]).toContain(put.status);
    const body = await put.json();
    expect(["PAYLOAD_TOO_LARGE", "SIZE_MISMATCH"]).toContain(body.error.code);
    const done = await alice.data(COMPLETE_UPLOAD, { input: { videoId: video.id } });
    expect(done.completeVideoUpload.userErrors[0]!.code).toBe("UPLOAD_MISSING");
    expect(done.completeVideoUpload.job).toBeNull();
  });

  it("validates upload input with field paths instead of failing the request", async () => {
    const res = await alice.data(CREATE_UPLOAD, {
      input: {
        filename: "a.mp4",
        contentType: "text/plain",
        sizeBytes: 0,
        extraction: { mode: "INTERVAL", intervalSeconds: -1 },
      },
    });
    const errors = res.createVideoUpload.userErrors as Array<{ field: string[]; code: string }>;
    expect(res.createVideoUpload.video).toBeNull();
    const fields = errors.map((e) => e.field.join("."));
    expect(fields).toEqual(
      expect.arrayContaining(["input.contentType", "input.sizeBytes", "input.extraction.intervalSeconds"]),
    );
  });

  it("refuses a tampered upload URL", async () => {
    const created = await alice.data(CREATE_UPLOAD, {
      input: {
        filename: "t.mp4",
        contentType: "video/mp4",
        sizeBytes: 10,
        extraction: { mode: "INTERVAL", intervalSeconds: 1 },
      },
    });
    const { upload } = created.createVideoUpload;
    const tampered = { ...upload, url: upload.url.replace(/size=10/, "size=999999") };
    const put = await putBytes(tampered, new Uint8Array(10));
    expect(put.status).toBe(403);
  });

  it("answers accounts mistakes with JSON errors and the right status", async () => {
    const client = new ApiClient(product.url!);
    // A taken address answers exactly like a new one (its owner gets a mail instead): no enumeration.
    expect(
      (await client.account("signup", { email: "alice@example.com", password: "another good pass 1" })).status,
    ).toBe(202);
    const weak = await client.account("signup", { email: "weak@example.com", password: "short" });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe("WEAK_PASSWORD");
    const wrong = await client.account("login", { email: "alice@example.com", password: "not the password 1" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
  });
});
