import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExtractionRequested, Job } from "@vp/domain";
import { openDatabase, SqliteJobRepository, SqliteVideoRepository } from "@vp/platform";
import type { QueueMessage } from "@vp/platform";
import { createExtractionHandler, type ExtractionHandlerDeps } from "../src/runner/extraction-handler.js";

const untouchable = (what: string) =>
  new Proxy({}, { get: (_, key) => () => Promise.reject(new Error(`${what}.${String(key)} must not be used`)) });

describe("extraction handler: a request for a job already RUNNING", () => {
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let jobs: SqliteJobRepository;
  let videos: SqliteVideoRepository;
  let published: Job[];
  let handle: ReturnType<typeof createExtractionHandler>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-handler-"));
    db = openDatabase(join(dir, "db.sqlite"));
    jobs = new SqliteJobRepository(db);
    videos = new SqliteVideoRepository(db);
    published = [];
    const platform = {
      jobs,
      videos,
      blobs: untouchable("blobs"),
      events: untouchable("events"),
      jobEvents: { publish: async (e: { job: unknown }) => void published.push(e.job as Job) },
    } as unknown as ExtractionHandlerDeps["platform"];
    handle = createExtractionHandler({
      platform,
      engine: untouchable("engine") as ExtractionHandlerDeps["engine"],
      limits: { maxFrames: 10, timeoutSeconds: 60 },
      maxAttempts: 1,
      logger: { info() {}, warn() {}, error() {} },
    });
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Running on its only allowed attempt: a re-claim would fail it as WORKER_LOST.
  const runningJob = async (): Promise<Job> => {
    const id = randomUUID();
    const options = {
      mode: "INTERVAL",
      intervalSeconds: 1,
      timestampUnit: "SECONDS",
      format: "JPEG",
      quality: 85,
      fit: "CONTAIN",
      allowUpscale: false,
    } as const;
    await videos.create({
      id,
      ownerId: "o",
      filename: "a.mp4",
      contentType: "video/mp4",
      sizeBytes: 1,
      blobKey: id,
      extraction: options,
    });
    const job = await jobs.create({ id: randomUUID(), ownerId: "o", videoId: id, options });
    return jobs.update(job.id, { status: ["QUEUED"] }, { status: "RUNNING", attempts: 1, startedAt: new Date() });
  };
  const message = (job: Job, attempts: number): QueueMessage<ExtractionRequested> => ({
    id: randomUUID(),
    receipt: randomUUID(),
    body: { jobId: job.id, videoId: job.videoId, ownerId: job.ownerId },
    attempts,
    enqueuedAt: new Date(),
  });
  const ctx = { signal: new AbortController().signal };

  it("acks a first delivery as a duplicate, leaving the job alone", async () => {
    const job = await runningJob();
    expect(await handle(message(job, 1), ctx)).toEqual({ kind: "ack" });
    expect(await jobs.findById(job.id)).toEqual(job);
    expect(published).toEqual([]);
  });

  it("treats a redelivery as its worker's crash and takes the job over", async () => {
    const job = await runningJob();
    expect(await handle(message(job, 2), ctx)).toEqual({ kind: "ack" });
    const after = await jobs.findById(job.id);
    expect(after).toMatchObject({ status: "FAILED", error: { code: "WORKER_LOST" }, version: job.version + 1 });
    expect(published.map((j) => j.status)).toEqual(["FAILED"]);
  });
});
