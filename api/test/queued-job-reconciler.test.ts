import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractionRequestedSchema, type ExtractionRequested, type Job } from "@vp/domain";
import { until } from "@vp/platform/testing";
import { openDatabase, SqliteJobQueue, SqliteJobRepository, SqliteVideoRepository } from "@vp/platform";
import type { JobRepository } from "@vp/platform";
import { reconcileQueuedJobs, startQueuedJobReconciler } from "../src/messaging/queued-job-reconciler.js";

const options = {
  mode: "INTERVAL",
  intervalSeconds: 1,
  timestampUnit: "SECONDS",
  format: "JPEG",
  quality: 85,
  fit: "CONTAIN",
  allowUpscale: false,
} as const;

describe("queued-job reconciler", () => {
  let dir: string;
  let db: ReturnType<typeof openDatabase>;
  let now: number;
  const clock = () => now;
  let jobs: SqliteJobRepository;
  let videos: SqliteVideoRepository;
  let queue: SqliteJobQueue<ExtractionRequested>;
  let warnings: object[];
  let errors: object[];
  const logger = {
    info() {},
    warn: (o: object) => void warnings.push(o),
    error: (o: object) => void errors.push(o),
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vp-reconciler-"));
    db = openDatabase(join(dir, "db.sqlite"));
    now = 1_800_000_000_000;
    jobs = new SqliteJobRepository(db, { clock });
    videos = new SqliteVideoRepository(db, { clock });
    queue = new SqliteJobQueue({ db, name: "extractions", schema: extractionRequestedSchema, maxAttempts: 4 });
    warnings = [];
    errors = [];
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const newJob = async (): Promise<Job> => {
    const id = randomUUID();
    const video = await videos.create({
      id,
      ownerId: `owner-${id}`,
      filename: "a.mp4",
      contentType: "video/mp4",
      sizeBytes: 1,
      blobKey: id,
      extraction: options,
    });
    return jobs.create({ id: randomUUID(), ownerId: video.ownerId, videoId: video.id, options });
  };
  const receiveAll = () => queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: 30 });
  const round = (over: { jobs?: Pick<JobRepository, "listStaleQueued" | "update"> } = {}) =>
    reconcileQueuedJobs({ jobs, queue, staleAfterSeconds: 300, logger, clock, ...over });

  it("re-enqueues only QUEUED jobs older than the threshold, touching each so the next round skips it", async () => {
    const lost = await newJob();
    const running = await newJob();
    await jobs.update(running.id, { status: ["QUEUED"] }, { status: "RUNNING", attempts: 1 });
    now += 200_000;
    const young = await newJob();
    now += 101_000; // lost and running are 301 s old, young 101 s

    expect(await round()).toEqual([lost.id]);
    const touched = await jobs.findById(lost.id);
    expect(touched).toMatchObject({ status: "QUEUED", version: lost.version + 1 });
    expect(touched!.updatedAt.getTime()).toBe(now);
    expect((await jobs.findById(young.id))?.version).toBe(young.version);
    expect(warnings).toEqual([expect.objectContaining({ jobId: lost.id, queuedSinceMs: 301_000 })]);

    const [message, ...rest] = await receiveAll();
    expect(rest).toEqual([]);
    expect(message!.body).toEqual({ jobId: lost.id, videoId: lost.videoId, ownerId: lost.ownerId });

    // Just touched: not stale again until another full threshold passes.
    expect(await round()).toEqual([]);
    now += 300_000; // lost was touched exactly 300 s ago: the threshold is exclusive
    expect(await round()).toEqual([young.id]);
    now += 1;
    expect(await round()).toEqual([lost.id]);
  });

  it("relies on the queue's dedupe key: a request still waiting is not doubled", async () => {
    const job = await newJob();
    await queue.enqueue({ jobId: job.id, videoId: job.videoId, ownerId: job.ownerId }, { dedupeKey: job.id });
    now += 301_000;
    expect(await round()).toEqual([job.id]);
    expect(warnings).toEqual([expect.objectContaining({ jobId: job.id, deduplicated: true })]);
    expect(await receiveAll()).toHaveLength(1);
  });

  it("skips a job that a worker claimed between the listing and the touch", async () => {
    const job = await newJob();
    now += 301_000;
    const racing: Pick<JobRepository, "listStaleQueued" | "update"> = {
      listStaleQueued: async (q) => {
        const found = await jobs.listStaleQueued(q);
        await jobs.update(job.id, { status: ["QUEUED"], attempts: 0 }, { status: "RUNNING", attempts: 1 });
        return found;
      },
      update: (...args) => jobs.update(...args),
    };
    expect(await round({ jobs: racing })).toEqual([]);
    expect(await jobs.findById(job.id)).toMatchObject({ status: "RUNNING", version: 2 });
    expect(await receiveAll()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("runs rounds on its interval, survives a failing round, and stops on close", async () => {
    const job = await newJob();
    now += 301_000;
    let calls = 0;
    const flaky: Pick<JobRepository, "listStaleQueued" | "update"> = {
      listStaleQueued: async (q) => {
        calls++;
        if (calls === 1) throw new Error("storage hiccup");
        return jobs.listStaleQueued(q);
      },
      update: (...args) => jobs.update(...args),
    };
    const reconciler = startQueuedJobReconciler({
      jobs: flaky,
      queue,
      staleAfterSeconds: 300,
      intervalMs: 5,
      logger,
      clock,
    });
    try {
      await until(async () => (await queue.depth()).visible === 1, "the lost job to be re-enqueued");
    } finally {
      await reconciler.close();
    }
    expect(errors).toHaveLength(1);
    const afterClose = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(afterClose);
    expect((await receiveAll())[0]!.body.jobId).toBe(job.id);
  });
});
