import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ViewerVideosDocument } from "@vp/client";
import { ApiClient, waitForTerminal } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";

const UPLOADS = 50;
const CONCURRENCY = 2;

describe("a burst of uploads", () => {
  let product: TestProduct;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-burst-"));
    // One user sends them all: raise the per-user live-jobs quota (default 10) above the burst.
    product = await startTestProduct({
      env: { VP_WORKER_CONCURRENCY: String(CONCURRENCY), VP_MAX_LIVE_JOBS_PER_USER: String(UPLOADS) },
    });
  });

  afterAll(async () => {
    await product?.close();
    await removeDir(product.dataDir);
    await removeDir(dir);
  });

  it(`loses none of ${UPLOADS} videos sent at once, and never runs more than ${CONCURRENCY} jobs together`, async () => {
    const client = new ApiClient(product.url!);
    await client.signUpAndLogIn("burst@example.com");
    const video = await makeTestVideo(join(dir, "short.mp4"), { seconds: 2, size: "160x120" });

    const uploads = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) =>
        client.upload(video, { mode: "INTERVAL", intervalSeconds: 1 }, `clip-${i}.mp4`),
      ),
    );
    expect(uploads.flatMap((u) => u.userErrors)).toEqual([]);
    const jobs = await Promise.all(uploads.map((u) => waitForTerminal(client, u.job.id, 240_000)));

    expect(jobs.map((j) => j.status)).toEqual(Array(UPLOADS).fill("SUCCEEDED"));
    expect(jobs.every((j) => j.result.frameCount === 2)).toBe(true);

    // Sweep the [startedAt, finishedAt] intervals: the most that overlap is the concurrency actually used.
    const edges = jobs.flatMap((j) => [
      { t: Date.parse(j.startedAt), d: +1 },
      { t: Date.parse(j.finishedAt), d: -1 },
    ]);
    edges.sort((a, b) => a.t - b.t || a.d - b.d);
    let running = 0;
    let peak = 0;
    for (const e of edges) peak = Math.max(peak, (running += e.d));
    expect(peak).toBeLessThanOrEqual(CONCURRENCY);

    const { viewer } = await client.data(ViewerVideosDocument, { first: 100 });
    expect(viewer.videos.edges).toHaveLength(UPLOADS);
    await client.close();
  }, 300_000);
});
