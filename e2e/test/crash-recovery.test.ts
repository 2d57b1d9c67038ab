import type { ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, JOB_QUERY, waitForTerminal } from "./support/api-client.js";
import { removeDir, startTestProduct, type TestProduct } from "./support/product.js";
import { killAll, spawnProduct } from "./support/processes.js";
import { makeTestVideo } from "./support/videos.js";
import { readZip } from "./support/zip.js";

/** `npm run start:worker` as a real child process, so it can be killed without warning. */
const spawnWorker = (dataDir: string): ChildProcess =>
  spawnProduct("worker", { VP_DATA_DIR: dataDir, VP_WORKER_CONCURRENCY: "1", VP_JOB_VISIBILITY_SECONDS: "2" }).child;

describe("a worker killed mid-job", () => {
  let api: TestProduct;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-crash-"));
    api = await startTestProduct({ role: "api" });
  });

  afterAll(async () => {
    await killAll(children);
    await api?.close();
    await removeDir(api.dataDir);
    await removeDir(dir);
  });

  it("is retried after the worker restarts and completes exactly once", async () => {
    const client = new ApiClient(api.url!);
    await client.signUpAndLogIn("crash@example.com");
    const video = await makeTestVideo(join(dir, "long.mp4"), { seconds: 40, size: "640x360" });
    const { job } = await client.upload(video, { mode: "INTERVAL", intervalSeconds: 0.1 }, "long.mp4");
    const jobId: string = job.id;

    const first = spawnWorker(api.dataDir);
    children.push(first);
    for (let i = 0; ; i++) {
      const { job: now } = await client.data(JOB_QUERY, { id: jobId });
      if (now.status === "RUNNING" && now.progress > 0) break;
      if (now.status !== "QUEUED" && now.status !== "RUNNING")
        throw new Error(`job ended before the kill: ${now.status}`);
      if (i > 600) throw new Error("job never started running");
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const { job: orphaned } = await client.data(JOB_QUERY, { id: jobId });
    expect(orphaned.status).toBe("RUNNING");

    children.push(spawnWorker(api.dataDir));
    const done = await waitForTerminal(client, jobId, 120_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.attempts).toBe(2);
    expect(done.result.frameCount).toBe(400);

    const entries = await readZip(Buffer.from(await (await fetch(done.result.downloadUrl)).arrayBuffer()));
    const names = entries.map((e) => e.name).filter((n) => n !== "manifest.json");
    expect(names).toHaveLength(400);
    expect(new Set(names).size).toBe(400);
    await client.close();
  });
});
