import type { ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, JOB_QUERY, waitForTerminal } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { exitWithin, killAll, spawnProduct } from "./support/processes.js";
import { makeTestVideo } from "./support/videos.js";

describe("graceful shutdown", () => {
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-shutdown-"));
  });

  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await removeDir(dir);
  });

  it("npm start answers /healthz, and exits 0 promptly on SIGTERM", async () => {
    const product = spawnProduct("all", { PORT: "0", HOST: "127.0.0.1", VP_DATA_DIR: join(dir, "all") });
    children.push(product.child);
    const url = await product.ready;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    product.child.kill("SIGTERM");
    expect(await exitWithin(product.child, 15_000)).toBe(0);
  });

  describe("of a worker in the middle of a job", () => {
    let api: TestProduct;
    beforeAll(async () => {
      api = await startTestProduct({ role: "api" });
    });
    afterAll(async () => {
      // The second worker still polls the queue in this data dir: stop it before removing the dir.
      await killAll(children);
      await api?.close();
      await removeDir(api.dataDir);
    });

    it("hands the job back to the queue without spending an attempt, and the next worker finishes it", async () => {
      const client = new ApiClient(api.url!);
      await client.signUpAndLogIn("shutdown@example.com");
      const video = await makeTestVideo(join(dir, "long.mp4"), { seconds: 40, size: "640x360" });
      const { job } = await client.upload(video, { mode: "INTERVAL", intervalSeconds: 0.1 }, "long.mp4");
      const env = { VP_DATA_DIR: api.dataDir, VP_WORKER_CONCURRENCY: "1", VP_SHUTDOWN_GRACE_SECONDS: "0" };

      const first = spawnProduct("worker", env).child;
      children.push(first);
      for (let i = 0; ; i++) {
        const { job: now } = await client.data(JOB_QUERY, { id: job.id });
        if (now.status === "RUNNING" && now.progress > 0) break;
        if (i > 600) throw new Error(`job never got going: ${now.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      first.kill("SIGTERM");
      expect(await exitWithin(first, 15_000)).toBe(0);
      const { job: handedBack } = await client.data(JOB_QUERY, { id: job.id });
      expect(handedBack.status).toBe("QUEUED");
      expect(handedBack.attempts).toBe(0);

      children.push(spawnProduct("worker", env).child);
      const done = await waitForTerminal(client, job.id, 120_000);
      expect(done.status).toBe("SUCCEEDED");
      expect(done.attempts).toBe(1);
      expect(done.result.frameCount).toBe(400);
      await client.close();
    }, 180_000);
  });
});
