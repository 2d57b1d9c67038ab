import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoDocument } from "@vp/client";
import { readOutbox } from "@vp/platform";
import { ApiClient, JOB_QUERY, JOB_UPDATED, type GqlResponse } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { isDecodableImage, makeTestVideo } from "./support/videos.js";
import { readZip } from "./support/zip.js";

/**
 * The whole user journey over real HTTP and WebSocket, with the API and the worker as two
 * separately started services sharing one data dir (as `start:api` and `start:worker` do).
 */
describe("user journey: sign up to frames and email", () => {
  let api: TestProduct;
  let worker: TestProduct | null = null;
  let dir: string;
  let video: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-journey-"));
    video = await makeTestVideo(join(dir, "holiday.mp4"), { seconds: 30 });
    api = await startTestProduct({ role: "api" });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await removeDir(api.dataDir);
    await removeDir(dir);
  });

  it("uploads, watches progress live, downloads exact frames, and mails the owner", async () => {
    const client = new ApiClient(api.url!);
    await client.signUpAndLogIn("ada@example.com");

    const completed = await client.upload(video, { mode: "INTERVAL", intervalSeconds: 2 }, "holiday.mp4");
    expect(completed.userErrors).toEqual([]);
    // The API never runs ffprobe: the worker probes the video as the first step of its job.
    expect(completed.video.status).toBe("PROCESSING");
    expect(completed.video.metadata).toBeNull();
    const jobId: string = completed.job.id;
    expect(completed.job.status).toBe("QUEUED");

    // The subscription answers with the job as it is now, so we know it is live before the worker starts.
    const updates = client.subscribe(JOB_UPDATED, { jobId });
    const first = await updates.next();
    expect((first.value as GqlResponse<any>).data?.jobUpdated.status).toBe("QUEUED");

    worker = await startTestProduct({ role: "worker", dataDir: api.dataDir });

    const seen: Array<{ status: string; progress: number }> = [];
    for await (const message of updates) {
      expect(message.errors).toBeUndefined();
      const job = message.data!.jobUpdated;
      seen.push({ status: job.status, progress: job.progress });
      if (job.status === "SUCCEEDED" || job.status === "FAILED") break;
    }
    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses).toEqual(["RUNNING", "SUCCEEDED"]);
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);

    const { job } = await client.data(JOB_QUERY, { id: jobId });
    expect(job.result.frameCount).toBe(15);
    const { video: probed } = await client.data(VideoDocument, { id: completed.video.id });
    expect(probed.status).toBe("READY");
    expect(probed.metadata).toMatchObject({ width: 320, height: 240, videoCodec: "h264" });
    expect(probed.metadata.durationSeconds).toBeCloseTo(30, 0);
    expect(new Date(job.result.downloadUrlExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const download = await fetch(job.result.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("holiday-frames.zip");
    const archive = Buffer.from(await download.arrayBuffer());
    expect(archive.length).toBe(job.result.archiveSizeBytes);

    const entries = await readZip(archive);
    const frames = entries.filter((e) => e.name.endsWith(".jpg"));
    expect(frames).toHaveLength(15);
    expect(entries.every((e) => e.compressionMethod === 0)).toBe(true);
    const manifest = JSON.parse(entries.find((e) => e.name === "manifest.json")!.data.toString("utf8"));
    expect(manifest.frames.map((f: { file: string }) => f.file)).toEqual(frames.map((f) => f.name));
    const times: number[] = manifest.frames.map((f: { timestampSeconds: number }) => f.timestampSeconds);
    times.forEach((t, i) => expect(t).toBeCloseTo(i * 2, 2));
    for (const frame of frames.slice(0, 3)) {
      const path = join(dir, frame.name);
      await writeFile(path, frame.data);
      expect(await isDecodableImage(path)).toBe(true);
    }

    // The email goes out through the notification queue, a moment after the job ends.
    let mails = await readOutbox(join(api.dataDir, "outbox"));
    for (let i = 0; i < 100 && mails.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mails = await readOutbox(join(api.dataDir, "outbox"));
    }
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain("ada@example.com");
    expect(mails[0]!.subject).toContain("holiday.mp4");
    expect(mails[0]!.text).toContain("15");
    await client.close();
  });
});
