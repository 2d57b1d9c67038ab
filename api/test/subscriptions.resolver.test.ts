import { jobChannel, ownerChannel, toJobSnapshot, toGlobalId, type Job } from "@vp/domain";
import type { ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, makeTinyVideo, type TestEnv } from "./helpers/env.js";
import { rawId, uploadVideo } from "./helpers/flows.js";
import { CANCEL_JOB, JOB_UPDATED, MY_JOB_UPDATES } from "./helpers/operations.js";

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

let env: TestEnv;
let tiny: Buffer;

beforeAll(async () => {
  env = await createTestEnv();
  tiny = await makeTinyVideo(env.dir);
});
afterAll(() => env.close());

type Stream = AsyncGenerator<ExecutionResult<Record<string, { id: string; status: string; progress: number }>>>;

async function open(user: string | null, query: string, variables?: Record<string, unknown>): Promise<Stream> {
  const result = await env.sub(user, query, variables);
  if (!isAsyncIterable(result)) throw new Error(`subscription refused: ${JSON.stringify(result.errors)}`);
  return result as Stream;
}

async function nextData(stream: Stream, field: string) {
  const r = await stream.next();
  if (r.done) throw new Error("stream ended");
  expect(r.value.errors).toBeUndefined();
  return r.value.data![field]!;
}

/** Writes a job change the way the worker does: conditional update, then publish. */
async function workerWrites(
  jobId: string,
  patch: Parameters<TestEnv["platform"]["jobs"]["update"]>[2],
  from: Job["status"][],
): Promise<Job> {
  const job = await env.platform.jobs.update(jobId, { status: from }, patch);
  await env.platform.jobEvents.publish({
    job: toJobSnapshot(job),
    videoFilename: "clip.mp4",
  });
  return job;
}

const listenerCount = () => (env.platform.events as unknown as { listeners: Set<unknown> }).listeners.size;

describe("jobUpdated", () => {
  it("delivers the current state first, then the owner's changes in order, dropping stale versions", async () => {
    const { completed } = await uploadVideo(env, "gina", tiny);
    const gid = completed.job!.id;
    const id = rawId(gid);
    const stream = await open("gina", JOB_UPDATED, { id: gid });
    expect(await nextData(stream, "jobUpdated")).toMatchObject({
      id: gid,
      status: "QUEUED",
      progress: 0,
    });

    const running = await workerWrites(id, { status: "RUNNING", startedAt: new Date(), attempts: 1 }, ["QUEUED"]);
    const half = await workerWrites(id, { progress: 0.5, framesExtracted: 1 }, ["RUNNING"]);
    // A late duplicate of an older version (at-least-once delivery) must not move the view backwards.
    await env.platform.events.publish(jobChannel(id), {
      job: toJobSnapshot(running),
      videoFilename: "clip.mp4",
    });
    // Malformed news is ignored.
    await env.platform.events.publish(jobChannel(id), { nonsense: true });
    await workerWrites(id, { progress: 0.9, framesExtracted: 2 }, ["RUNNING"]);

    expect(await nextData(stream, "jobUpdated")).toMatchObject({
      status: "RUNNING",
      progress: 0,
    });
    expect(await nextData(stream, "jobUpdated")).toMatchObject({
      status: "RUNNING",
      progress: half.progress,
    });
    expect(await nextData(stream, "jobUpdated")).toMatchObject({
      status: "RUNNING",
      progress: 0.9,
    });

    // Cancelling through the API is news too.
    await env.exec("gina", CANCEL_JOB, { id: gid });
    expect(await nextData(stream, "jobUpdated")).toMatchObject({
      status: "CANCELLED",
    });
    await stream.return(undefined);
  });

  it("refuses another user's job, unknown and malformed ids with NOT_FOUND, and anonymous callers", async () => {
    const { completed } = await uploadVideo(env, "gina", tiny);
    for (const jobId of [completed.job!.id, toGlobalId("ExtractionJob", "nope"), "garbage"]) {
      const res = await env.sub("hank", JOB_UPDATED, { id: jobId });
      expect(isAsyncIterable(res)).toBe(false);
      expect((res as ExecutionResult).errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
    }
    const anon = await env.sub(null, JOB_UPDATED, { id: completed.job!.id });
    expect((anon as ExecutionResult).errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
  });

  it("unsubscribes from the bus when the client stops, even while waiting for news", async () => {
    const { completed } = await uploadVideo(env, "gina", tiny);
    const before = listenerCount();
    const stream = await open("gina", JOB_UPDATED, { id: completed.job!.id });
    await stream.next();
    expect(listenerCount()).toBe(before + 1);
    const pending = stream.next();
    await stream.return(undefined);
    expect((await pending).done).toBe(true);
    expect(listenerCount()).toBe(before);
  });
});

describe("myJobUpdates", () => {
  it("delivers only the viewer's jobs, in order", async () => {
    const stream = await open("ivy", MY_JOB_UPDATES);
    const mine = await uploadVideo(env, "ivy", tiny);
    const theirs = await uploadVideo(env, "jack", tiny);
    // Even a foreign event pushed onto ivy's channel is dropped (owner checked per event).
    const foreign = await env.platform.jobs.findById(rawId(theirs.completed.job!.id));
    await env.platform.events.publish(ownerChannel("ivy"), {
      job: toJobSnapshot(foreign!),
      videoFilename: "x",
    });
    await workerWrites(rawId(mine.completed.job!.id), { status: "RUNNING", startedAt: new Date(), attempts: 1 }, [
      "QUEUED",
    ]);

    expect(await nextData(stream, "myJobUpdates")).toMatchObject({
      id: mine.completed.job!.id,
      status: "QUEUED",
    });
    expect(await nextData(stream, "myJobUpdates")).toMatchObject({
      id: mine.completed.job!.id,
      status: "RUNNING",
    });
    await stream.return(undefined);
  });
  it("with replaySeconds, answers first with the live and recently changed jobs, then only newer versions", async () => {
    const live = await uploadVideo(env, "kim", tiny);
    const done = await uploadVideo(env, "kim", tiny);
    await env.services.cancelJob("kim", { jobId: rawId(done.completed.job!.id) });
    await uploadVideo(env, "lee", tiny);
    // As a client re-subscribing after a dropped connection does: what changed meanwhile comes first.
    const stream = await open("kim", `subscription { myJobUpdates(replaySeconds: 60) { id status } }`);
    const first = [await nextData(stream, "myJobUpdates"), await nextData(stream, "myJobUpdates")];
    expect(first).toEqual([
      { id: live.completed.job!.id, status: "QUEUED" },
      { id: done.completed.job!.id, status: "CANCELLED" },
    ]);
    await workerWrites(rawId(live.completed.job!.id), { status: "RUNNING", startedAt: new Date(), attempts: 1 }, [
      "QUEUED",
    ]);
    expect(await nextData(stream, "myJobUpdates")).toMatchObject({ id: live.completed.job!.id, status: "RUNNING" });
    await stream.return(undefined);
  });
});
