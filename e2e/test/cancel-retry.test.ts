import { readdir } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelJobDocument, RetryJobDocument } from "@vp/client";
import { ApiClient, JOB_QUERY, waitForTerminal } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { makeTestVideo } from "./support/videos.js";

/** Every file under a folder, recursively (blob stores keep their blobs as plain files). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("cancelling a running job, then retrying it", () => {
  let product: TestProduct;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-cancel-"));
    product = await startTestProduct({ env: { VP_WORKER_CONCURRENCY: "1" } });
  });

  afterAll(async () => {
    await product?.close();
    await removeDir(product.dataDir);
    await removeDir(dir);
  });

  it("stops the worker promptly, keeps no archive, frees the worker, and a retry produces the full archive", async () => {
    const client = new ApiClient(product.url!);
    await client.signUpAndLogIn("cancel@example.com");
    const long = await makeTestVideo(join(dir, "long.mp4"), { seconds: 40, size: "640x360" });
    const { job } = await client.upload(long, { mode: "INTERVAL", intervalSeconds: 0.1 }, "long.mp4");

    for (let i = 0; ; i++) {
      const { job: now } = await client.data(JOB_QUERY, { id: job.id });
      if (now.status === "RUNNING" && now.progress > 0) break;
      if (i > 600) throw new Error(`job never got going: ${now.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelled = await client.data(CancelJobDocument, { input: { jobId: job.id } });
    expect(cancelled.cancelJob.userErrors).toEqual([]);
    expect(cancelled.cancelJob.job.status).toBe("CANCELLED");

    // The one worker slot must come free: a small job queued after the cancel completes.
    const short = await makeTestVideo(join(dir, "short.mp4"), { seconds: 2, size: "160x120" });
    const next = await client.upload(short, { mode: "INTERVAL", intervalSeconds: 1 }, "short.mp4");
    expect((await waitForTerminal(client, next.job.id)).status).toBe("SUCCEEDED");

    const { job: after } = await client.data(JOB_QUERY, { id: job.id });
    expect(after.status).toBe("CANCELLED");
    expect(after.result).toBeNull();
    const archives = await filesUnder(join(product.dataDir, "blobs", "archives"));
    expect(archives.filter((f) => f.endsWith("frames.zip") && !f.includes("/.meta/"))).toHaveLength(1);

    const retried = await client.data(RetryJobDocument, { input: { jobId: job.id } });
    expect(retried.retryJob.userErrors).toEqual([]);
    expect(retried.retryJob.job.status).toBe("QUEUED");
    const done = await waitForTerminal(client, job.id, 120_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.result.frameCount).toBe(400);
    await client.close();
  }, 180_000);
});
