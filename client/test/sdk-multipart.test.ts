import { execFile } from "node:child_process";
import { mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, startTestProduct, type TestProduct } from "../../e2e/test/support/product.js";
import { CompleteVideoUploadDocument, CreateVideoUploadDocument } from "../src/generated/graphql.js";
import { createClient, type Client } from "../src/sdk/index.js";

// Tiny threshold: a few-KB video goes as several parts of this size.
const THRESHOLD = 16 * 1024;
const PASSWORD = "multipart password 1";

let dir: string;
let video: string;
let product: TestProduct;
let client: Client;

const ffmpeg = (args: string[]): Promise<void> =>
  new Promise((resolve, reject) =>
    execFile("ffmpeg", ["-v", "error", "-y", ...args], (e: Error | null) => (e ? reject(e) : resolve())),
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vproc-multipart-"));
  video = path.join(dir, "clip.mp4");
  [product] = await Promise.all([
    startTestProduct({ env: { VP_MULTIPART_THRESHOLD_BYTES: String(THRESHOLD) } }),
    ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=320x240:rate=10",
      "-t",
      "3",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      video,
    ]),
  ]);
  const anonymous = createClient({ url: product.url! });
  await anonymous.accounts.signup({ email: "mp@example.com", password: PASSWORD });
  const { accessToken } = await anonymous.accounts.login({ email: "mp@example.com", password: PASSWORD });
  await anonymous.close();
  client = createClient({ url: product.url!, token: accessToken, wsRetryAttempts: 0 });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await product?.close();
  if (product) await removeDir(product.dataDir);
  if (dir) await removeDir(dir);
});

describe("uploadVideo over a multipart target", () => {
  it("sends every part, completes with the ETags, and the job succeeds", async () => {
    const { size } = await stat(video);
    expect(size).toBeGreaterThan(2 * THRESHOLD);
    const progress: Array<[number, number]> = [];
    const { video: uploaded, job } = await client.uploadVideo(
      video,
      {},
      {
        onProgress: (sent, total) => progress.push([sent, total]),
      },
    );
    expect(uploaded.status).toBe("PROCESSING");
    expect(uploaded.sizeBytes).toBe(size);
    expect(progress.every(([, total]) => total === size)).toBe(true);
    expect(progress.at(-1)).toEqual([size, size]);
    const done = await client.waitForJob(job.id);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.result?.frameCount).toBeGreaterThan(0);
    // Assembled: no part is left in the store's temp area.
    const uploads = path.join(product.dataDir, "blobs", "videos", ".tmp", "uploads");
    expect(await readdir(uploads).catch(() => [])).toEqual([]);
  }, 60_000);

  it("answers a multipart target with per-part URLs, and refuses a completion without its parts", async () => {
    const created = (
      await client.request(CreateVideoUploadDocument, {
        input: { filename: "big.mp4", contentType: "video/mp4", sizeBytes: 3 * THRESHOLD + 5 },
      })
    ).createVideoUpload;
    const mp = created.upload?.multipart;
    expect(mp?.parts.map((p) => p.sizeBytes)).toEqual([THRESHOLD, THRESHOLD, THRESHOLD, 5]);
    expect(created.upload?.url).toBe(mp?.parts[0]?.url);
    expect(mp?.method).toBe("PUT");

    const complete = (parts: Array<{ partNumber: number; etag: string }>) =>
      client.request(CompleteVideoUploadDocument, {
        input: { videoId: created.video!.id, multipart: { uploadId: mp!.uploadId, parts } },
      });
    const listedNone = (await complete([])).completeVideoUpload;
    expect(listedNone.job).toBeNull();
    expect(listedNone.userErrors).toEqual([
      expect.objectContaining({ code: "VALIDATION", field: ["input", "multipart", "parts"] }),
    ]);
    const neverSent = (await complete([1, 2, 3, 4].map((partNumber) => ({ partNumber, etag: '"x"' }))))
      .completeVideoUpload;
    expect(neverSent.userErrors).toEqual([
      expect.objectContaining({ code: "UPLOAD_MISSING", field: ["input", "multipart", "parts", "0"] }),
    ]);
  });
});
