import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acceptProbe,
  markUploaded,
  rejectVideo,
  isDomainError,
  type ExtractionOptions,
  type Job,
  type NewVideo,
  type Video,
  type VideoProbe,
} from "@vp/domain";
import type { JobRepository, VideoRepository } from "../../ports/repositories.js";
import { expectDomainError } from "./helpers.js";

export interface RepositoriesFixture {
  readonly videos: VideoRepository;
  readonly jobs: JobRepository;
  /**
   * Repositories over the same storage through a second connection, as another process would
   * open them; optional (defaults to the same instances).
   */
  readonly openAnother?: () => Promise<{
    readonly videos: VideoRepository;
    readonly jobs: JobRepository;
  }>;
  cleanup(): Promise<void>;
}

const options: ExtractionOptions = {
  mode: "INTERVAL",
  intervalSeconds: 2.5,
  format: "JPEG",
  quality: 85,
  fit: "CONTAIN",
  allowUpscale: false,
};

const metadata: VideoProbe = {
  durationSeconds: 5.005,
  width: 320,
  height: 240,
  frameRate: 29.97,
  videoCodec: "h264",
  rotation: 90,
  hasAudio: false,
  formatName: "mov,mp4,m4a,3gp,3g2,mj2",
  startTime: 0.0334,
  keyframeIntervalSeconds: 2.002,
  variableFrameRate: false,
  frameCount: 150,
  timeOrigin: 0,
  timeBase: { num: 1, den: 30000 },
  keyframeSample: [0.0334, 2.0354, 4.0374],
};

const newVideo = (ownerId: string, over: Partial<NewVideo> = {}): NewVideo => {
  const id = over.id ?? randomUUID();
  return {
    id,
    ownerId,
    filename: "clip été.mp4",
    contentType: "video/mp4",
    sizeBytes: 123_456_789_012,
    blobKey: `videos/${ownerId}/${id}`,
    extraction: options,
    ...over,
  };
};

/** The VideoRepository and JobRepository ports' behaviour; run it for every adapter. */
export function repositoriesContract(name: string, make: () => Promise<RepositoriesFixture>): void {
  describe(`Repositories contract: ${name}`, () => {
    let fx: RepositoriesFixture;
    let videos: VideoRepository;
    let jobs: JobRepository;
    let owner: string;
    beforeEach(async () => {
      fx = await make();
      videos = fx.videos;
      jobs = fx.jobs;
      owner = `user-${randomUUID()}`;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    const createJob = async (video: Video): Promise<Job> =>
      jobs.create({
        id: randomUUID(),
        ownerId: video.ownerId,
        videoId: video.id,
        options: video.extraction,
      });

    describe("videos", () => {
      it("creates a video awaiting upload, at version 1, and reads it back exactly", async () => {
        const input = newVideo(owner);
        const created = await videos.create(input);
        expect(created).toMatchObject({
          ...input,
          status: "AWAITING_UPLOAD",
          metadata: null,
          rejectionReason: null,
          version: 1,
        });
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.updatedAt.getTime()).toBe(created.createdAt.getTime());
        expect(await videos.findById(input.id)).toEqual(created);
        expect(await videos.findForOwner(owner, input.id)).toEqual(created);
      });

      it("refuses a duplicate id with ALREADY_EXISTS", async () => {
        const input = newVideo(owner);
        await videos.create(input);
        await expectDomainError(videos.create({ ...input, filename: "other.mp4" }), "ALREADY_EXISTS");
        expect((await videos.findById(input.id))?.filename).toBe(input.filename);
      });

      it("scopes reads to the owner: another owner's id answers null", async () => {
        const v = await videos.create(newVideo(owner));
        expect(await videos.findForOwner("someone-else", v.id)).toBeNull();
        expect(await videos.findForOwner(owner, "no-such-id")).toBeNull();
        expect(await videos.findById("no-such-id")).toBeNull();
        expect((await videos.listForOwner("someone-else", { first: 10 })).items).toEqual([]);
        expect(await videos.deleteForOwner("someone-else", v.id)).toBe(false);
        expect(await videos.findById(v.id)).not.toBeNull();
      });

      it("moves AWAITING_UPLOAD -> PROCESSING -> READY with the probe, bumping version and updatedAt", async () => {
        const v = await videos.create(newVideo(owner));
        const uploaded = markUploaded(v);
        const processing = await videos.update(v.id, uploaded.when, uploaded.patch);
        expect(processing).toMatchObject({ status: "PROCESSING", metadata: null, version: 2 });
        const accepted = acceptProbe(metadata);
        const ready = await videos.update(v.id, accepted.when, accepted.patch);
        expect(ready).toMatchObject({
          status: "READY",
          metadata,
          version: 3,
          createdAt: v.createdAt,
        });
        expect(ready.updatedAt.getTime()).toBeGreaterThanOrEqual(v.updatedAt.getTime());
        expect(await videos.findById(v.id)).toEqual(ready);
        const touched = await videos.update(v.id, {}, { metadata: { ...metadata, rotation: 0 } });
        expect(touched.version).toBe(4);
        expect(touched.status).toBe("READY");
      });

      it("refuses illegal transitions with ILLEGAL_TRANSITION and changes nothing", async () => {
        const skipping = await videos.create(newVideo(owner));
        await expectDomainError(videos.update(skipping.id, {}, { status: "READY", metadata }), "ILLEGAL_TRANSITION");
        const v = await videos.create(newVideo(owner));
        const rejected = rejectVideo("not a video");
        await videos.update(v.id, rejected.when, rejected.patch);
        await expectDomainError(videos.update(v.id, {}, { status: "READY" }), "ILLEGAL_TRANSITION");
        await expectDomainError(videos.update(v.id, {}, { status: "PROCESSING" }), "ILLEGAL_TRANSITION");
        await expectDomainError(videos.update(v.id, {}, { status: "AWAITING_UPLOAD" }), "ILLEGAL_TRANSITION");
        await expectDomainError(videos.update(v.id, {}, { status: "REJECTED" }), "ILLEGAL_TRANSITION");
        expect(await videos.findById(v.id)).toMatchObject({
          status: "REJECTED",
          rejectionReason: "not a video",
          version: 2,
        });
      });

      it("refuses stale updates with STALE_UPDATE and unknown ids with NOT_FOUND", async () => {
        const v = await videos.create(newVideo(owner));
        await expectDomainError(videos.update(v.id, { version: 2 }, { status: "READY" }), "STALE_UPDATE");
        await expectDomainError(videos.update(v.id, { status: ["READY"] }, { metadata }), "STALE_UPDATE");
        await expectDomainError(videos.update("no-such-id", {}, { status: "READY" }), "NOT_FOUND");
        expect((await videos.findById(v.id))?.version).toBe(1);
      });

      it("lets exactly one of many concurrent conditional updates win", async () => {
        const v = await videos.create(newVideo(owner));
        const other = fx.openAnother ? await fx.openAnother() : { videos, jobs };
        const repos = [videos, other.videos];
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            repos[i % 2]!.update(
              v.id,
              { status: ["AWAITING_UPLOAD"], version: 1 },
              { status: i % 3 === 0 ? "REJECTED" : "PROCESSING" },
            ),
          ),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(1);
        for (const r of results)
          if (r.status === "rejected")
            expect(isDomainError(r.reason, "STALE_UPDATE") || isDomainError(r.reason, "ILLEGAL_TRANSITION")).toBe(true);
        expect((await videos.findById(v.id))?.version).toBe(2);
      });

      it("pages newest first across pages with no duplicates or misses, and filters by status", async () => {
        const created: Video[] = [];
        for (let i = 0; i < 23; i++) created.push(await videos.create(newVideo(owner, { filename: `v${i}.mp4` })));
        await videos.create(newVideo("someone-else"));
        for (const v of created.slice(0, 5)) {
          await videos.update(v.id, {}, { status: "PROCESSING" });
          await videos.update(v.id, {}, { status: "READY", metadata });
        }

        const all = await videos.listForOwner(owner, { first: 100 });
        expect(all.items).toHaveLength(23);
        expect(all.hasNextPage).toBe(false);
        for (let i = 1; i < all.items.length; i++)
          expect(all.items[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(all.items[i]!.createdAt.getTime());
        expect(all.items[0]!.createdAt.getTime()).toBe(Math.max(...created.map((v) => v.createdAt.getTime())));

        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        for (;;) {
          const page: Awaited<ReturnType<VideoRepository["listForOwner"]>> = await videos.listForOwner(owner, {
            first: 5,
            after,
          });
          pages++;
          seen.push(...page.items.map((v) => v.id));
          if (pages === 1) await videos.create(newVideo(owner)); // newer than every cursor: must not appear later
          if (!page.hasNextPage) break;
          expect(page.endCursor).not.toBeNull();
          after = page.endCursor;
        }
        expect(pages).toBe(5);
        expect(seen).toEqual(all.items.map((v) => v.id));

        const ready = await videos.listForOwner(owner, {
          first: 3,
          status: "READY",
        });
        expect(ready.items).toHaveLength(3);
        expect(ready.hasNextPage).toBe(true);
        const rest = await videos.listForOwner(owner, {
          first: 3,
          status: "READY",
          after: ready.endCursor,
        });
        expect(rest.items).toHaveLength(2);
        expect(rest.hasNextPage).toBe(false);
        expect(new Set([...ready.items, ...rest.items].map((v) => v.id))).toEqual(
          new Set(created.slice(0, 5).map((v) => v.id)),
        );
        expect((await videos.listForOwner(owner, { first: 10, status: "REJECTED" })).items).toEqual([]);
      });

      it("refuses page sizes outside 1..100 and foreign cursors with VALIDATION", async () => {
        for (const first of [0, -1, 101, 1.5])
          await expectDomainError(videos.listForOwner(owner, { first }), "VALIDATION");
        for (const after of ["garbage", "%%%", Buffer.from("[1]").toString("base64url")])
          await expectDomainError(videos.listForOwner(owner, { first: 10, after }), "VALIDATION");
        expect((await videos.listForOwner(owner, { first: 1 })).endCursor).toBeNull();
      });

      it("deletes a video with its jobs", async () => {
        const v = await videos.create(newVideo(owner));
        const keep = await videos.create(newVideo(owner));
        const j1 = await createJob(v);
        const j2 = await createJob(v);
        const k1 = await createJob(keep);
        expect(await videos.deleteForOwner(owner, v.id)).toBe(true);
        expect(await videos.findById(v.id)).toBeNull();
        expect(await jobs.findById(j1.id)).toBeNull();
        expect(await jobs.findById(j2.id)).toBeNull();
        expect(await jobs.findById(k1.id)).not.toBeNull();
        expect(await videos.deleteForOwner(owner, v.id)).toBe(false);
      });
    });

    describe("jobs", () => {
      it("creates a QUEUED job at version 1 and reads it back exactly", async () => {
        const v = await videos.create(newVideo(owner));
        const j = await createJob(v);
        expect(j).toMatchObject({
          ownerId: owner,
          videoId: v.id,
          status: "QUEUED",
          progress: 0,
          framesExtracted: 0,
          options,
          attempts: 0,
          error: null,
          result: null,
          startedAt: null,
          finishedAt: null,
          version: 1,
        });
        expect(await jobs.findById(j.id)).toEqual(j);
        expect(await jobs.findForOwner(owner, j.id)).toEqual(j);
        expect(await jobs.findForOwner("someone-else", j.id)).toBeNull();
        await expectDomainError(jobs.create({ id: j.id, ownerId: owner, videoId: v.id, options }), "ALREADY_EXISTS");
      });

      it("walks QUEUED -> RUNNING -> RUNNING -> SUCCEEDED with every field round-tripping", async () => {
        const v = await videos.create(newVideo(owner));
        const j = await createJob(v);
        const startedAt = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
        const running = await jobs.update(
          j.id,
          { status: ["QUEUED"], attempts: 0 },
          { status: "RUNNING", attempts: 1, startedAt },
        );
        expect(running).toMatchObject({
          status: "RUNNING",
          attempts: 1,
          startedAt,
          version: 2,
        });
        const reclaimed = await jobs.update(
          j.id,
          { status: ["RUNNING"], attempts: 1 },
          { status: "RUNNING", attempts: 2, progress: 0 },
        );
        expect(reclaimed.version).toBe(3);
        const progressed = await jobs.update(j.id, { version: 3 }, { progress: 0.4375, framesExtracted: 7 });
        expect(progressed).toMatchObject({
          progress: 0.4375,
          framesExtracted: 7,
          version: 4,
        });
        const finishedAt = new Date(startedAt.getTime() + 1234);
        const result = {
          frameCount: 3,
          archiveKey: `archives/${owner}/${j.id}.zip`,
          archiveSizeBytes: 4567,
          strategy: "seek-parallel",
        };
        const done = await jobs.update(
          j.id,
          { status: ["RUNNING"] },
          { status: "SUCCEEDED", progress: 1, result, finishedAt },
        );
        expect(done).toMatchObject({
          status: "SUCCEEDED",
          result,
          finishedAt,
          startedAt,
          attempts: 2,
          version: 5,
        });
        expect(await jobs.findById(j.id)).toEqual(done);
        await expectDomainError(jobs.update(j.id, {}, { status: "QUEUED" }), "ILLEGAL_TRANSITION");
        await expectDomainError(jobs.update(j.id, {}, { status: "RUNNING" }), "ILLEGAL_TRANSITION");
      });

      it("fails with an error, then retries FAILED -> QUEUED, clearing fields set to null", async () => {
        const v = await videos.create(newVideo(owner));
        const j = await createJob(v);
        const error = {
          code: "INPUT_CORRUPT" as const,
          message: "moov atom not found",
          retryable: false,
        };
        const failed = await jobs.update(
          j.id,
          { status: ["QUEUED"] },
          { status: "FAILED", error, finishedAt: new Date() },
        );
        expect(failed.error).toEqual(error);
        const again = await jobs.update(
          j.id,
          { status: ["FAILED", "CANCELLED"] },
          { status: "QUEUED", error: null, finishedAt: null, progress: 0 },
        );
        expect(again).toMatchObject({
          status: "QUEUED",
          error: null,
          finishedAt: null,
          version: 3,
        });
        await jobs.update(j.id, {}, { status: "CANCELLED" });
        await expectDomainError(jobs.update(j.id, {}, { status: "SUCCEEDED" }), "ILLEGAL_TRANSITION");
      });

      it("refuses stale updates (status, version, attempts) and unknown ids", async () => {
        const v = await videos.create(newVideo(owner));
        const j = await createJob(v);
        await expectDomainError(jobs.update(j.id, { attempts: 1 }, { status: "RUNNING" }), "STALE_UPDATE");
        await expectDomainError(jobs.update(j.id, { version: 7 }, { progress: 0.5 }), "STALE_UPDATE");
        await expectDomainError(jobs.update(j.id, { status: ["RUNNING"] }, { status: "SUCCEEDED" }), "STALE_UPDATE");
        await expectDomainError(jobs.update("no-such-job", {}, { progress: 0.1 }), "NOT_FOUND");
        expect(await jobs.findById(j.id)).toEqual(j);
      });

      it("lets exactly one of many workers claim a job", async () => {
        const v = await videos.create(newVideo(owner));
        const j = await createJob(v);
        const other = fx.openAnother ? await fx.openAnother() : { videos, jobs };
        const repos = [jobs, other.jobs];
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            repos[i % 2]!.update(j.id, { status: ["QUEUED"], attempts: 0 }, { status: "RUNNING", attempts: 1 }),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results)
          if (r.status === "rejected") expect(isDomainError(r.reason, "STALE_UPDATE")).toBe(true);
        expect((await jobs.findById(j.id))?.version).toBe(2);
      });

      it("lists newest first, filtered by video and status, across pages, and finds the latest per video", async () => {
        const a = await videos.create(newVideo(owner));
        const b = await videos.create(newVideo(owner));
        const ofA: Job[] = [];
        for (let i = 0; i < 7; i++) ofA.push(await createJob(a));
        const ofB = [await createJob(b), await createJob(b)];
        await jobs.update(ofB[0]!.id, {}, { status: "CANCELLED" });

        const all = await jobs.listForOwner(owner, { first: 100 });
        expect(all.items).toHaveLength(9);
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const page: Awaited<ReturnType<JobRepository["listForOwner"]>> = await jobs.listForOwner(owner, {
            first: 2,
            after,
            videoId: a.id,
          });
          seen.push(...page.items.map((j) => j.id));
          after = page.hasNextPage ? page.endCursor : null;
        } while (after !== null);
        expect(seen).toEqual(all.items.filter((j) => j.videoId === a.id).map((j) => j.id));
        expect(new Set(seen)).toEqual(new Set(ofA.map((j) => j.id)));

        const cancelled = await jobs.listForOwner(owner, {
          first: 10,
          status: "CANCELLED",
        });
        expect(cancelled.items.map((j) => j.id)).toEqual([ofB[0]!.id]);
        expect(
          (
            await jobs.listForOwner(owner, {
              first: 10,
              videoId: b.id,
              status: "QUEUED",
            })
          ).items.map((j) => j.id),
        ).toEqual([ofB[1]!.id]);
        expect((await jobs.listForOwner("someone-else", { first: 10 })).items).toEqual([]);
        await expectDomainError(jobs.listForOwner(owner, { first: 0 }), "VALIDATION");
        await expectDomainError(jobs.listForOwner(owner, { first: 5, after: "not-a-cursor" }), "VALIDATION");

        const latestA = await jobs.latestForVideo(owner, a.id);
        expect(latestA?.id).toBe(all.items.find((j) => j.videoId === a.id)?.id);
        expect(await jobs.latestForVideo("someone-else", a.id)).toBeNull();
        const empty = await videos.create(newVideo(owner));
        expect(await jobs.latestForVideo(owner, empty.id)).toBeNull();
      });

      describe("listStaleQueued", () => {
        // Other tests may share the storage: look only at this test's jobs.
        const mine = (found: readonly Job[], ids: ReadonlySet<string>) => found.filter((j) => ids.has(j.id));
        const pause = () => new Promise((r) => setTimeout(r, 3));

        it("lists QUEUED jobs of every owner written before the cutoff, oldest first", async () => {
          const otherOwner = `user-${randomUUID()}`;
          const v1 = await videos.create(newVideo(owner));
          const v2 = await videos.create(newVideo(otherOwner));
          const q1 = await createJob(v1);
          await pause();
          const q2 = await createJob(v2);
          await pause();
          const running = await createJob(v1);
          await jobs.update(running.id, { status: ["QUEUED"] }, { status: "RUNNING", attempts: 1 });
          const cancelled = await createJob(v2);
          await jobs.update(cancelled.id, {}, { status: "CANCELLED" });
          await pause();
          const q3 = await createJob(v1);
          await pause();
          const cutoff = new Date();
          await pause();
          const fresh = await createJob(v2);
          const ids = new Set([q1, q2, q3, running, cancelled, fresh].map((j) => j.id));

          const found = mine(await jobs.listStaleQueued({ updatedBefore: cutoff, limit: 1000 }), ids);
          expect(found.map((j) => j.id)).toEqual([q1.id, q2.id, q3.id]);
          expect(found[0]).toEqual(await jobs.findById(q1.id));
          for (let i = 1; i < found.length; i++)
            expect(found[i - 1]!.updatedAt.getTime()).toBeLessThanOrEqual(found[i]!.updatedAt.getTime());
          // The cutoff is exclusive: a job written at exactly that instant is not yet stale.
          const atQ2 = mine(await jobs.listStaleQueued({ updatedBefore: q2.updatedAt, limit: 1000 }), ids);
          expect(atQ2.map((j) => j.id)).toEqual([q1.id]);
          const later = mine(
            await jobs.listStaleQueued({ updatedBefore: new Date(Date.now() + 60_000), limit: 1000 }),
            ids,
          );
          expect(later.map((j) => j.id)).toEqual([q1.id, q2.id, q3.id, fresh.id]);
        });

        it("honours the limit, oldest first", async () => {
          const cutoffBefore = new Date();
          await pause();
          const v = await videos.create(newVideo(owner));
          const made: Job[] = [];
          for (let i = 0; i < 4; i++) {
            made.push(await createJob(v));
            await pause();
          }
          const limited = await jobs.listStaleQueued({ updatedBefore: new Date(Date.now() + 60_000), limit: 2 });
          expect(limited).toHaveLength(2);
          for (const j of limited) expect(j.status).toBe("QUEUED");
          expect(limited[0]!.updatedAt.getTime()).toBeLessThanOrEqual(limited[1]!.updatedAt.getTime());
          // Whatever else is stored, none of it is younger than what the limit cut off.
          expect(limited[1]!.updatedAt.getTime()).toBeLessThanOrEqual(made[3]!.updatedAt.getTime());
          expect(await jobs.listStaleQueued({ updatedBefore: cutoffBefore, limit: 1000 })).not.toContainEqual(
            expect.objectContaining({ videoId: v.id }),
          );
          await expectDomainError(jobs.listStaleQueued({ updatedBefore: new Date(), limit: 0 }), "VALIDATION");
        });

        it("drops a job that leaves QUEUED, re-lists it on retry, and re-sorts it when touched", async () => {
          const v = await videos.create(newVideo(owner));
          const a = await createJob(v);
          await pause();
          const b = await createJob(v);
          const ids = new Set([a.id, b.id]);
          const stale = async () =>
            mine(await jobs.listStaleQueued({ updatedBefore: new Date(Date.now() + 60_000), limit: 1000 }), ids).map(
              (j) => j.id,
            );
          expect(await stale()).toEqual([a.id, b.id]);

          await pause();
          // An empty conditional patch ("touch") moves the job behind the others.
          const touched = await jobs.update(a.id, { status: ["QUEUED"], version: a.version }, {});
          expect(touched).toMatchObject({ status: "QUEUED", version: a.version + 1 });
          expect(touched.updatedAt.getTime()).toBeGreaterThan(a.updatedAt.getTime());
          expect(await stale()).toEqual([b.id, a.id]);

          await jobs.update(a.id, { status: ["QUEUED"] }, { status: "RUNNING", attempts: 1 });
          expect(await stale()).toEqual([b.id]);
          await jobs.update(a.id, { status: ["RUNNING"] }, { progress: 0.5 });
          expect(await stale()).toEqual([b.id]);
          await jobs.update(a.id, { status: ["RUNNING"] }, { status: "FAILED", finishedAt: new Date() });
          await jobs.update(b.id, {}, { status: "CANCELLED" });
          expect(await stale()).toEqual([]);

          await pause();
          await jobs.update(
            a.id,
            { status: ["FAILED", "CANCELLED"] },
            { status: "QUEUED", error: null, finishedAt: null },
          );
          expect(await stale()).toEqual([a.id]);
          await videos.deleteForOwner(owner, v.id);
          expect(await stale()).toEqual([]);
        });
      });
    });

    describe("per-user quotas", () => {
      const pause = () => new Promise((r) => setTimeout(r, 3));

      it("counts an owner's jobs by status and by creation time (exclusive), never another owner's", async () => {
        const v = await videos.create(newVideo(owner));
        const queued = await createJob(v);
        const running = await createJob(v);
        await jobs.update(running.id, { status: ["QUEUED"] }, { status: "RUNNING", attempts: 1 });
        const cancelled = await createJob(v);
        await jobs.update(cancelled.id, {}, { status: "CANCELLED" });
        await pause();
        const cutoff = new Date();
        await pause();
        const fresh = await createJob(v);
        const other = await videos.create(newVideo(`user-${randomUUID()}`));
        await createJob(other);

        expect(await jobs.countForOwner(owner)).toBe(4);
        expect(await jobs.countForOwner(owner, { statuses: ["QUEUED", "RUNNING"] })).toBe(3);
        expect(await jobs.countForOwner(owner, { statuses: ["CANCELLED"] })).toBe(1);
        expect(await jobs.countForOwner(owner, { statuses: [] })).toBe(0);
        expect(await jobs.countForOwner(owner, { createdAfter: cutoff })).toBe(1);
        expect(await jobs.countForOwner(owner, { createdAfter: cutoff, statuses: ["QUEUED"] })).toBe(1);
        expect(await jobs.countForOwner(owner, { createdAfter: cutoff, statuses: ["RUNNING"] })).toBe(0);
        // Strictly after: a job created at exactly that instant is outside the window.
        expect(await jobs.countForOwner(owner, { createdAfter: fresh.createdAt })).toBe(0);
        expect(await jobs.countForOwner(owner, { createdAfter: new Date(queued.createdAt.getTime() - 1) })).toBe(4);
        expect(await jobs.countForOwner("someone-else")).toBe(0);
        // A job that leaves a live state leaves the live count.
        await jobs.update(running.id, { status: ["RUNNING"] }, { status: "FAILED", finishedAt: new Date() });
        expect(await jobs.countForOwner(owner, { statuses: ["QUEUED", "RUNNING"] })).toBe(2);
      });

      it("sums stored bytes: every video's declared size plus its jobs' archives, per owner", async () => {
        expect(await videos.storedBytesForOwner(owner)).toBe(0);
        const a = await videos.create(newVideo(owner, { sizeBytes: 3_000_000_000 }));
        const b = await videos.create(newVideo(owner, { sizeBytes: 1234 }));
        await videos.create(newVideo(`user-${randomUUID()}`, { sizeBytes: 999 }));
        const done = await createJob(a);
        await jobs.update(done.id, { status: ["QUEUED"] }, { status: "RUNNING", attempts: 1 });
        await jobs.update(
          done.id,
          { status: ["RUNNING"] },
          {
            status: "SUCCEEDED",
            finishedAt: new Date(),
            result: { frameCount: 3, archiveKey: "k", archiveSizeBytes: 5_000_000_000, strategy: "seek-parallel" },
          },
        );
        await createJob(b);
        expect(await videos.storedBytesForOwner(owner)).toBe(3_000_000_000 + 1234 + 5_000_000_000);
        await videos.deleteForOwner(owner, a.id);
        expect(await videos.storedBytesForOwner(owner)).toBe(1234);
      });
    });

    it("reads options stored in the earlier flat shape as their mode's variant", async () => {
      // Written before options were a union by mode: every mode's defaults side by side.
      const flat = { ...options, timestampUnit: "SECONDS", sceneMinGapSeconds: 1 } as unknown as ExtractionOptions;
      const v = await videos.create(newVideo(owner, { extraction: flat }));
      const j = await jobs.create({ id: randomUUID(), ownerId: owner, videoId: v.id, options: flat });
      expect((await videos.findById(v.id))?.extraction).toStrictEqual(options);
      expect((await jobs.findById(j.id))?.options).toStrictEqual(options);
    });
  });
}
